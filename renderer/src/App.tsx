import { MainWindow } from './components/MainWindow';
import { AuditWindow } from './audit/AuditWindow';
import { useAuditRoute } from './audit/route';

export function App() {
  // The audit window loads this same page at `#/audit`.
  if (useAuditRoute()) return <AuditWindow />;
  return <MainWindow />;
}
