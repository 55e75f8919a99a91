// Owns the sign-in form: deployment URL and desktop token, checked by the platform before they
// are kept in the OS keychain. Errors say what to do (wrong token, unreachable URL, no keychain).
import { useState, type FormEvent } from 'react';
import { toApiError, type ApiError } from '../api';
import { Button, Dialog } from '../components';
import { syncSignIn, type Session } from './api';
import { signInAdvice } from './syncText';

export interface SignInDialogProps {
  /** Pre-filled deployment URL (signing in again). */
  deployment?: string;
  /** Why the dialog opened on its own (the token expired or was revoked). */
  reason?: string;
  onSignedIn: (session: Session) => void;
  onCancel: () => void;
}

export function SignInDialog({ deployment: initial = '', reason, onSignedIn, onCancel }: SignInDialogProps) {
  const [deployment, setDeployment] = useState(initial);
  const [token, setToken] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  const submit = async (e?: FormEvent) => {
    e?.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      const session = await syncSignIn(deployment, token);
      setToken('');
      onSignedIn(session);
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog
      title="Sign in to your platform"
      onCancel={onCancel}
      data-testid="signin-dialog"
      actions={
        <>
          <Button variant="ghost" onClick={onCancel} data-testid="signin-cancel">
            Not now
          </Button>
          <Button
            variant="primary"
            busy={busy}
            disabled={deployment.trim() === '' || token.trim() === ''}
            onClick={() => void submit()}
            data-testid="signin-submit"
          >
            {busy ? 'Checking…' : 'Sign in'}
          </Button>
        </>
      }
    >
      <form className="signin-form" onSubmit={(e) => void submit(e)}>
        {reason !== undefined && (
          <p className="signin-reason" data-testid="signin-reason">
            {reason}
          </p>
        )}
        <label className="signin-field">
          <span>Deployment URL</span>
          <input
            type="url"
            value={deployment}
            placeholder="https://happy-otter-123.convex.cloud"
            autoComplete="off"
            spellCheck={false}
            onChange={(e) => setDeployment(e.target.value)}
            data-testid="signin-deployment"
          />
        </label>
        <label className="signin-field">
          <span>Desktop token</span>
          <input
            type="password"
            value={token}
            autoComplete="off"
            spellCheck={false}
            onChange={(e) => setToken(e.target.value)}
            data-testid="signin-token"
          />
        </label>
        <p className="signin-hint">
          Find both on the platform’s settings page. The token is kept only in this computer’s keychain.
        </p>
        {error !== null && (
          <p className="signin-error" role="alert" data-testid="signin-error" data-code={error.code}>
            {signInAdvice(error, deployment)}
          </p>
        )}
        {/* Enter in either field submits. */}
        <button type="submit" hidden />
      </form>
    </Dialog>
  );
}
