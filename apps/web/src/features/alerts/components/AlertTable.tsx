import type { Alert } from '@harrier/alert';
import { useWindowVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent } from 'react';
import { AlertRow } from './AlertRow';

interface AlertTableProps {
  alerts: readonly Alert[];
  /** Rows belong to the previous filter while the new one loads. */
  stale: boolean;
  selectedId: string | undefined;
  onOpen: (id: string) => void;
  /** Older alerts exist beyond the list; asked for when the end of the list scrolls into view. */
  hasMore: boolean;
  loadingMore: boolean;
  onLoadMore: () => void;
}

/** Every row is one line of this height (CSS keeps it so), which lets the list render only what is in view. */
export const ROW_HEIGHT = 37;
/** Rows rendered beyond the viewport, and how close to the end the next page is asked for. */
const OVERSCAN = 12;
const LOAD_AHEAD = 40;

/** The alert list, virtualized against the page's scroll: thousands of rows cost what a screenful does. */
export function AlertTable({ alerts, stale, selectedId, onOpen, hasMore, loadingMore, onLoadMore }: AlertTableProps) {
  const bodyRef = useRef<HTMLTableSectionElement>(null);
  const [scrollMargin, setScrollMargin] = useState(0);
  useLayoutEffect(() => {
    const body = bodyRef.current;
    if (body) setScrollMargin(body.getBoundingClientRect().top + window.scrollY);
  }, []);
  const virtualizer = useWindowVirtualizer({
    count: alerts.length,
    estimateSize: () => ROW_HEIGHT,
    overscan: OVERSCAN,
    scrollMargin,
  });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items[items.length - 1]?.index ?? -1;

  // Once per list length: the page asked for may still be on its way when the view moves again.
  const askedAtLength = useRef(-1);
  useEffect(() => {
    if (!hasMore || loadingMore || stale || lastIndex < alerts.length - LOAD_AHEAD) return;
    if (askedAtLength.current === alerts.length) return;
    askedAtLength.current = alerts.length;
    onLoadMore();
  }, [hasMore, loadingMore, stale, lastIndex, alerts.length, onLoadMore]);

  // Up/Down (or k/j) move between rows, scrolling rows that are not rendered yet into view first.
  const onKeyDown = (event: KeyboardEvent) => {
    const step =
      event.key === 'ArrowDown' || event.key === 'j' ? 1 : event.key === 'ArrowUp' || event.key === 'k' ? -1 : 0;
    const row = (event.target as HTMLElement).closest<HTMLElement>('tr[data-index]');
    if (step === 0 || row === null) return;
    const target = Number(row.dataset['index']) + step;
    if (target < 0 || target >= alerts.length) return;
    event.preventDefault();
    virtualizer.scrollToIndex(target, { align: 'auto' });
    requestAnimationFrame(() =>
      bodyRef.current?.querySelector<HTMLElement>(`tr[data-index="${target}"] .row-open`)?.focus(),
    );
  };

  const paddingTop = items.length > 0 ? items[0]!.start - scrollMargin : 0;
  const paddingBottom =
    items.length > 0 ? virtualizer.getTotalSize() - (items[items.length - 1]!.end - scrollMargin) : 0;

  return (
    <div className="table-scroll">
      <table className="alert-table" aria-busy={stale} data-stale={stale} aria-rowcount={alerts.length + 1}>
        <caption className="visually-hidden">Alerts, newest first; arrow keys move between rows</caption>
        <colgroup>
          <col className="col-time" />
          <col className="col-priority" />
          <col className="col-rule" />
          <col />
          <col className="col-target" />
          <col className="col-image" />
          <col className="col-source" />
          <col className="col-host" />
          <col className="col-tags" />
        </colgroup>
        <thead>
          <tr aria-rowindex={1}>
            <th scope="col">Time</th>
            <th scope="col">Priority</th>
            <th scope="col">Rule</th>
            <th scope="col">Output</th>
            <th scope="col">Namespace / pod</th>
            <th scope="col">Container image</th>
            <th scope="col">Source</th>
            <th scope="col">Host</th>
            <th scope="col">Tags</th>
          </tr>
        </thead>
        <tbody ref={bodyRef} onKeyDown={onKeyDown}>
          {paddingTop > 0 && <tr className="row-spacer" aria-hidden="true" style={{ height: paddingTop }} />}
          {items.map((item) => {
            const alert = alerts[item.index]!;
            return (
              <AlertRow
                key={alert.id}
                alert={alert}
                index={item.index}
                selected={alert.id === selectedId}
                onOpen={onOpen}
              />
            );
          })}
          {paddingBottom > 0 && <tr className="row-spacer" aria-hidden="true" style={{ height: paddingBottom }} />}
        </tbody>
      </table>
    </div>
  );
}
