import { useAppStore } from '../store';
import { StatusBadge } from './StatusBadge';

export function ProjectsList() {
  const projects = useAppStore((s) => s.projects);
  const loaded = useAppStore((s) => s.projectsLoaded);
  const error = useAppStore((s) => s.projectsError);

  if (error) {
    return (
      <div role="alert" className="error-box">
        <strong>Could not load your projects.</strong>
        <p>{error}</p>
      </div>
    );
  }
  if (!loaded) {
    return (
      <p className="muted" role="status">
        Loading projects…
      </p>
    );
  }
  if (projects.length === 0) {
    return (
      <section className="empty-state" aria-labelledby="empty-title">
        <h2 id="empty-title">No projects yet</h2>
        <p>
          A project is a remote MCP server and how to sign in to it. Add one here, or from a
          terminal:
        </p>
        <pre>
          <code>switchboard project add my-server --url https://mcp.example.com/mcp</code>
        </pre>
      </section>
    );
  }
  return (
    <ul className="project-list" aria-label="Projects">
      {projects.map((p) => (
        <li key={p.id} className="project-row" data-testid={`project-${p.name}`}>
          <div className="project-main">
            <span className="project-name">{p.displayName}</span>
            <span className="project-url muted" title={p.url}>
              {p.url}
            </span>
          </div>
          <span className="project-auth muted">{authLabel(p.auth)}</span>
          <StatusBadge connected={p.connected} />
        </li>
      ))}
    </ul>
  );
}

function authLabel(kind: string): string {
  switch (kind) {
    case 'none':
      return 'No auth';
    case 'bearer':
      return 'Bearer token';
    case 'oauth':
      return 'OAuth';
    case 'provisioned':
      return 'Provisioned';
    default:
      return kind;
  }
}
