/**
 * A component whose code lives in its own chunk, fetched on first use or earlier by `preload`.
 * Unlike `React.lazy`, a part whose chunk has already arrived renders synchronously: a
 * preloaded part never shows its fallback, not even for one frame. A failed fetch (offline
 * before the service worker cached the chunk) shows a message with a retry button in the
 * part's place instead of taking the editor down.
 */
import {
  Component,
  Suspense,
  use,
  type ComponentType,
  type FunctionComponent,
  type ReactNode,
} from 'react';

/** A part's chunk could not be fetched; `message` is the fetch's own. */
class ChunkLoadError extends Error {
  constructor(cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
  }
}

/** A lazily loaded component, plus `preload` to start fetching its chunk ahead of use. */
export type LazyPart<P extends object> = FunctionComponent<P> & {
  /** Starts the fetch, once; resolves with the component, rejects if the chunk cannot load. */
  preload: () => Promise<ComponentType<P>>;
};

/**
 * A part rendered by the component `load` resolves with (typically
 * `() => import('./X').then((m) => m.X)`, so the bundler splits `./X` off), showing
 * `fallback` with the same props while its chunk loads. `what` names it in the failure message.
 */
export function lazyPart<P extends object>(
  what: string,
  load: () => Promise<ComponentType<P>>,
  Fallback: ComponentType<P>,
): LazyPart<P> {
  let loaded: ComponentType<P> | null = null;
  // The pending or settled fetch; forgotten after a failure, so that a retry fetches again.
  let loading: Promise<ComponentType<P>> | null = null;
  const preload = () => {
    loading ??= load().then(
      (c) => (loaded = c),
      (e: unknown) => {
        loading = null;
        throw new ChunkLoadError(e);
      },
    );
    return loading;
  };
  function Loaded(props: P) {
    const Impl = loaded ?? use(preload());
    return <Impl {...props} />;
  }
  // Always the same tree, so the part is not remounted once its chunk has arrived.
  function Part(props: P) {
    return (
      <LoadFailure what={what}>
        <Suspense fallback={<Fallback {...props} />}>
          <Loaded {...props} />
        </Suspense>
      </LoadFailure>
    );
  }
  return Object.assign(Part, { preload });
}

interface LoadFailureProps {
  what: string;
  children: ReactNode;
}

/**
 * Catches a failed chunk fetch and offers to try again. Other errors (the part's own) pass on
 * to the boundaries above, as they would without the lazy loading.
 */
class LoadFailure extends Component<LoadFailureProps, { error: Error | null }> {
  override state: { error: Error | null } = { error: null };

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  override render() {
    const { error } = this.state;
    if (!error) return this.props.children;
    if (!(error instanceof ChunkLoadError)) throw error;
    return (
      <div role="alert">
        <p className="error-text">
          The {this.props.what} could not be loaded: {error.message}
        </p>
        <button type="button" onClick={() => this.setState({ error: null })}>
          Try again
        </button>
      </div>
    );
  }
}
