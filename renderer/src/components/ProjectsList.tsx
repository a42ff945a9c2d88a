import { useEffect } from 'react';
import { connectActivity, useActivityStore } from '../charts/activity-store';
import { Sparkline } from '../charts/Sparkline';
import '../charts/charts.css';
import { useAppStore } from '../store';
import { ProjectStatus } from './ProjectStatus';

interface Props {
  onAdd: () => void;
}

export function ProjectsList({ onAdd }: Props) {
  const projects = useAppStore((s) => s.projects);
  const loaded = useAppStore((s) => s.projectsLoaded);
  const error = useAppStore((s) => s.projectsError);
  const selected = useAppStore((s) => s.selectedProjectId);
  const select = useAppStore((s) => s.select);
  const sparklines = useActivityStore((s) => s.sparklines);
  useEffect(() => connectActivity(), []);
  // The detail pane shows the first project until one is chosen; the list says the same.
  const current = projects.some((p) => p.id === selected) ? selected : projects[0]?.id;

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
        <p>
          <button type="button" className="primary" onClick={onAdd}>
            Add a project
          </button>
        </p>
      </section>
    );
  }
  return (
    <ul className="project-list" aria-label="Projects">
      {projects.map((p) => (
        <li key={p.id} className="project-row-item" data-testid={`project-${p.name}`}>
          <button
            type="button"
            className={`project-row${p.id === current ? ' selected' : ''}`}
            aria-current={p.id === current ? 'true' : undefined}
            onClick={() => select(p.id)}
          >
            <span className="project-main">
              <span className="project-name">{p.displayName}</span>
              <span className="project-url muted" title={p.url}>
                {p.url}
              </span>
            </span>
            <Sparkline line={sparklines[p.id]} />
            <ProjectStatus project={p} />
          </button>
        </li>
      ))}
    </ul>
  );
}
