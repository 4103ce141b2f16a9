import { useState, type Ref } from 'react';

interface FilterTextInputProps {
  label: string;
  value: string;
  placeholder?: string;
  testId: string;
  inputRef?: Ref<HTMLInputElement>;
  onCommit: (value: string) => void;
}

/** A text filter applied on Enter or when focus leaves, not on every keystroke. */
export function FilterTextInput({ label, value, placeholder, testId, inputRef, onCommit }: FilterTextInputProps) {
  const [draft, setDraft] = useState(value);
  const [committed, setCommitted] = useState(value);
  // The value also changes from outside (back button, Clear): show it instead of the draft.
  if (value !== committed) {
    setCommitted(value);
    setDraft(value);
  }
  const commit = () => {
    if (draft.trim() !== value) onCommit(draft.trim());
  };

  return (
    <label className="filter-field">
      <span className="filter-label">{label}</span>
      <input
        ref={inputRef}
        type="search"
        data-testid={testId}
        value={draft}
        placeholder={placeholder}
        autoComplete="off"
        spellCheck={false}
        onChange={(event) => setDraft(event.target.value)}
        onBlur={commit}
        onKeyDown={(event) => {
          if (event.key === 'Enter') commit();
        }}
      />
    </label>
  );
}
