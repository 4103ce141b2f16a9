import { useEffect, useState } from 'react';

interface CopyButtonProps {
  text: string;
  label: string;
  testId?: string;
}

type CopyState = 'idle' | 'copied' | 'failed';

const RESET_MS = 2_000;

/** Copies `text` to the clipboard and says so, in words, for a moment. */
export function CopyButton({ text, label, testId }: CopyButtonProps) {
  const [state, setState] = useState<CopyState>('idle');
  useEffect(() => {
    if (state === 'idle') return;
    const timer = setTimeout(() => setState('idle'), RESET_MS);
    return () => clearTimeout(timer);
  }, [state]);
  const copy = () =>
    navigator.clipboard.writeText(text).then(
      () => setState('copied'),
      () => setState('failed'),
    );

  return (
    <button type="button" className="button button-small" data-testid={testId} onClick={() => void copy()}>
      {state === 'copied' ? 'Copied ✓' : state === 'failed' ? 'Copy failed' : label}
      <span className="visually-hidden" role="status">
        {state === 'copied' ? 'Copied to the clipboard' : ''}
      </span>
    </button>
  );
}
