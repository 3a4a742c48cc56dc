// A screen that has its URL and its place in the navigation, but whose
// content comes in a later issue.

export function Placeholder({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <section className="placeholder" aria-label={title}>
      <h1>{title}</h1>
      <p>{children}</p>
    </section>
  );
}
