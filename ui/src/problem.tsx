/** An error the page or form ran into, announced to screen readers; nothing when there is none. */
export function Problem({ error }: { error: string | null | undefined }) {
  return error ? (
    <p role="alert" className="error">
      {error}
    </p>
  ) : null;
}
