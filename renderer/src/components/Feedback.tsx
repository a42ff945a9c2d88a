interface Props {
  busy?: string | undefined;
  error?: string | undefined;
  /** What just succeeded, when that is worth saying. */
  done?: string | undefined;
}

/** Progress while something takes time; what went wrong when it fails. */
export function Feedback({ busy, error, done }: Props) {
  return (
    <>
      {busy && (
        <p role="status" className="muted">
          <span className="spinner" aria-hidden="true" /> {busy}
        </p>
      )}
      {done && (
        <p role="status" className="notice">
          {done}
        </p>
      )}
      {error && (
        <p role="alert" className="form-error">
          {error}
        </p>
      )}
    </>
  );
}
