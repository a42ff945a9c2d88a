import { ProjectsList } from './components/ProjectsList';

export function App() {
  return (
    <div className="app">
      <header className="app-header">
        <h1>Switchboard</h1>
      </header>
      <main className="app-main">
        <h2 className="section-title">Projects</h2>
        <ProjectsList />
      </main>
    </div>
  );
}
