import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.js';
import { connect } from './api/client.js';
import { wireLiveUpdates } from './stores/live-updates.js';
import { incidentFromHash, openIncident } from './stores/navigation.js';

const client = connect();
wireLiveUpdates(client);
const deepLinked = incidentFromHash(window.location.hash);
if (deepLinked) openIncident(deepLinked);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
