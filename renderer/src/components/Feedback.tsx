/** Progress while something takes time; what went wrong when it fails. */
export function Feedback({
  busy,
  error,
}: {
  busy?: string | undefined;
  error?: string | undefined;
}) {
  return (
    <>
      {busy && (
        <p role="status" className="muted">
          <span className="spinner" aria-hidden="true" /> {busy}
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
