/** Short-lived notices about what the user just did (sent, re-driven, failed), shown by `<ToastRegion>`. */
export type ToastKind = 'success' | 'error';

export interface Toast {
  id: number;
  kind: ToastKind;
  text: string;
}

const SHOW_MS = { success: 5_000, error: 10_000 } as const satisfies Record<ToastKind, number>;

export class ToastStore {
  #toasts: readonly Toast[] = [];
  #nextId = 1;
  readonly #listeners = new Set<() => void>();

  /** The toasts on screen, oldest first; a new array after every change. */
  get toasts(): readonly Toast[] {
    return this.#toasts;
  }

  show(kind: ToastKind, text: string): void {
    const id = this.#nextId++;
    this.#set([...this.#toasts, { id, kind, text }]);
    setTimeout(() => this.dismiss(id), SHOW_MS[kind]);
  }

  dismiss(id: number): void {
    if (this.#toasts.some((toast) => toast.id === id)) this.#set(this.#toasts.filter((toast) => toast.id !== id));
  }

  /** Returns the function that removes the listener. */
  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #set(toasts: readonly Toast[]): void {
    this.#toasts = toasts;
    for (const listener of this.#listeners) listener();
  }
}

/** The app's one toast store, fed by the API layer (mutation results) rather than by components. */
export const toasts = new ToastStore();
