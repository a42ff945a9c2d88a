import './provisioning.css';
export { EndpointPanel } from './EndpointPanel';
export { ConsentsPanel } from './ConsentsPanel';
export { AddPresetDialog } from './AddPresetDialog';
export { PresetOffer } from './PresetOffer';
export { endpointLabel } from './endpoint-label';
