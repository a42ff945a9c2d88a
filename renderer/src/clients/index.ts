export { ClientsPanel } from './ClientsPanel';
export { DoctorPanel } from './DoctorPanel';
