// Owns the "Send test" dialog: one message, rendered as the previewed fan, to one address.
import { useState } from 'react';
import { toApiError } from '../api';
import { Button, Dialog } from '../components';
import { campaignSendTest, type Campaign, type Pick, type TestSent } from './api';

export interface SendTestDialogProps {
  storeId: string;
  campaign: Campaign;
  /** The fan the test is rendered as (the previewed one). */
  renderedAs: string | null;
  initialTo: string;
  onSent: (sent: TestSent) => void;
  onCancel: () => void;
  onOpenSmtp: () => void;
}

export function SendTestDialog({ storeId, campaign, renderedAs, initialTo, onSent, onCancel, onOpenSmtp }: SendTestDialogProps) {
  const [to, setTo] = useState(initialTo);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ code: string; message: string } | null>(null);
  const valid = to.includes('@');
  const send = async () => {
    if (!valid) return;
    setBusy(true);
    setError(null);
    const pick: Pick = renderedAs === null ? { kind: 'first' } : { kind: 'email', email: renderedAs };
    try {
      onSent(await campaignSendTest(storeId, campaign, to.trim(), pick));
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog
      title="Send a test"
      data-testid="send-test-dialog"
      onCancel={onCancel}
      actions={
        <>
          <Button onClick={onCancel}>Cancel</Button>
          <Button variant="primary" data-testid="send-test-go" busy={busy} disabled={!valid} onClick={() => void send()}>
            Send test
          </Button>
        </>
      }
    >
      <form
        className="cmp-form"
        onSubmit={(e) => {
          e.preventDefault();
          void send();
        }}
      >
        <label className="cmp-field">
          <span>Send to</span>
          <input type="email" data-testid="send-test-to" value={to} onChange={(e) => setTo(e.target.value)} />
        </label>
        <p className="cmp-hint">
          Rendered as {renderedAs ?? 'a sample fan'}, with “[Test]” before the subject. Warnings do not stop a test.
        </p>
        {error !== null && (
          <p className="cmp-error" role="alert" data-testid="send-test-error">
            {error.message}{' '}
            {(error.code === 'SMTP_NOT_CONFIGURED' || error.code === 'SMTP_PASSWORD_MISSING' || error.code === 'SMTP_CONNECT') && (
              <button type="button" className="cmp-link" onClick={onOpenSmtp}>
                Open SMTP settings
              </button>
            )}
          </p>
        )}
        <button type="submit" hidden aria-hidden="true" tabIndex={-1} />
      </form>
    </Dialog>
  );
}
