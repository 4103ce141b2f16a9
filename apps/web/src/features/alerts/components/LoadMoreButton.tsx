interface LoadMoreButtonProps {
  hasMore: boolean;
  loading: boolean;
  disabled: boolean;
  onLoadMore: () => void;
}

export function LoadMoreButton({ hasMore, loading, disabled, onLoadMore }: LoadMoreButtonProps) {
  if (!hasMore) return <p className="list-end muted">No older alerts</p>;
  return (
    <div className="list-end">
      <button type="button" className="button" disabled={disabled || loading} onClick={onLoadMore}>
        {loading ? 'Loading…' : 'Load more'}
      </button>
    </div>
  );
}
