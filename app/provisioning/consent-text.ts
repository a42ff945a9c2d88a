/**
 * The words of the full-scope provisioning consent, shared by the window's dialog and the CLI's
 * question so both say exactly the same thing.
 */
export interface ProvisioningConsentFacts {
  vendor: string;
  controlPlane: string;
  keyFingerprint: string;
  sharedUrl: string;
  projectName: string;
}

export function provisioningConsentText(f: ProvisioningConsentFacts): {
  title: string;
  risk: string;
  gain: string;
  decline: string;
  undo: string;
} {
  return {
    title: `Use a private ${f.vendor} endpoint for ${f.projectName}?`,
    risk: `Your full-scope API key (fingerprint ${f.keyFingerprint}) will be stored as a secret in your ${f.vendor} account and injected into a function running at ${f.controlPlane}. Code running inside that function — including code your agents write — could use the key to do anything the key can do in your account.`,
    gain: 'You get a private (per-tenant) MCP endpoint; clients reach it with a separate shared secret instead of your API key.',
    decline: `If you decline, nothing changes: the shared endpoint ${f.sharedUrl} keeps working with your API key.`,
    undo: 'To undo it, withdraw this consent (project → Withdraw consent, Settings → Consents, or `switchboard consent revoke <id>`): Switchboard stops using the private endpoint at once, deletes its shared secret, and can delete the function and the stored secret in your account.',
  };
}
