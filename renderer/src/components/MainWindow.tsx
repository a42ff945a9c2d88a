import { useEffect, useMemo, useState } from 'react';
import { parseMainRoute, useMainRouteHash } from '../main-route';
import { useAppStore } from '../store';
import { AddProjectDialog } from './AddProjectDialog';
import { ProjectDetail } from './ProjectDetail';
import { ProjectsList } from './ProjectsList';
import { LiveFeed } from '../audit/LiveFeed';
import { DoctorPanel } from '../clients';
import { SettingsDialog } from '../settings';

export function MainWindow() {
  const [adding, setAdding] = useState(false);
  const [settingsOpen, setSettingsOpen] = useState(false);
  const warning = useAppStore((s) => s.insecureStoreWarning);
  const projects = useAppStore((s) => s.projects);
  const selectedId = useAppStore((s) => s.selectedProjectId);
  const select = useAppStore((s) => s.select);
  // Opened from the tray or a notification on a project (its tokens, an install preview).
  const routeHash = useMainRouteHash();
  const route = useMemo(() => parseMainRoute(routeHash), [routeHash]);
  useEffect(() => {
    if (route) select(route.projectId);
  }, [route, select]);
  const selected =
    projects.find((p) => p.id === selectedId) ?? (projects.length > 0 ? projects[0] : undefined);

  return (
    <div className="app">
      <header className="app-header">
        <h1>Switchboard</h1>
        <span className="spacer" />
        <button type="button" onClick={() => setSettingsOpen(true)}>
          Settings
        </button>
        <button type="button" className="primary" onClick={() => setAdding(true)}>
          Add project
        </button>
      </header>
      {warning && (
        <p className="banner-warn" role="alert">
          <strong>Insecure secret storage.</strong> {warning}
        </p>
      )}
      <div className="app-columns">
        <nav className="sidebar" aria-label="Projects">
          <h2 className="section-title">Projects</h2>
          <ProjectsList onAdd={() => setAdding(true)} />
        </nav>
        <main className="app-main">
          {selected ? (
            <ProjectDetail
              key={selected.id}
              project={selected}
              {...(route?.projectId === selected.id && { route })}
            />
          ) : null}
          <LiveFeed />
          <DoctorPanel />
        </main>
      </div>
      {adding && <AddProjectDialog onClose={() => setAdding(false)} />}
      {settingsOpen && <SettingsDialog onClose={() => setSettingsOpen(false)} />}
    </div>
  );
}
