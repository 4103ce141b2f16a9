interface SourceLocationProps {
  file: string;
  line: number;
  column?: number;
}

/** `file:line[:column]` with the file's base name shown and its full path on hover. */
export function SourceLocation({ file, line, column }: SourceLocationProps) {
  const base = file.split('/').pop() ?? file;
  const position = column === undefined ? `${line}` : `${line}:${column}`;
  return (
    <code className="source-location" title={`${file}:${position}`}>
      {base}:{position}
    </code>
  );
}
