/** A secret shown exactly once (API key, webhook signing secret), with an optional copy button. */
export function SecretBox({ title, secret, note }: { title: string; secret: string; note: string }) {
  return (
    <section class="secret-box" aria-labelledby="secret-title" role="status">
      <h2 id="secret-title">{title}</h2>
      <p>{note}</p>
      <code id="secret-value">{secret}</code>
      <button type="button" class="secondary" data-copy="secret-value" hidden>
        Copy
      </button>
    </section>
  );
}
