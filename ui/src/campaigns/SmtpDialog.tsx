// Owns the SMTP settings dialog: host, port, TLS mode, user and password (kept in the OS keychain,
// never in the database), an extra trusted CA for test servers, and the unsubscribe fallback.
import { useState } from 'react';
import { toApiError } from '../api';
import { Button, Dialog } from '../components';
import { smtpSettingsSave, type SmtpSettings, type SmtpState, type TlsMode } from './api';

export const EMPTY_SMTP: SmtpSettings = {
  host: '',
  port: 587,
  tls: 'starttls',
  username: '',
  ca_pem: '',
  unsubscribe_url_template: '',
  unsubscribe_mailto: '',
};

const TLS_LABELS: Record<TlsMode, string> = {
  starttls: 'STARTTLS required (usually port 587)',
  implicit: 'Implicit TLS (usually port 465)',
  none: 'None: local test servers only',
};

export interface SmtpDialogProps {
  current: SmtpState | null;
  onSaved: (state: SmtpState) => void;
  onCancel: () => void;
}

export function SmtpDialog({ current, onSaved, onCancel }: SmtpDialogProps) {
  const [s, setS] = useState<SmtpSettings>(current?.settings ?? EMPTY_SMTP);
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const portOk = Number.isInteger(s.port) && s.port > 0 && s.port < 65536;
  const valid = s.host.trim() !== '' && portOk;

  const save = async () => {
    if (!valid) return;
    setBusy(true);
    setError(null);
    try {
      onSaved(await smtpSettingsSave(s, password));
    } catch (err) {
      setError(toApiError(err).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog
      title="SMTP settings"
      data-testid="smtp-dialog"
      onCancel={onCancel}
      actions={
        <>
          <Button onClick={onCancel}>Cancel</Button>
          <Button variant="primary" data-testid="smtp-save" busy={busy} disabled={!valid} onClick={() => void save()}>
            Save
          </Button>
        </>
      }
    >
      <form
        className="cmp-form"
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <p className="cmp-hint">Campaigns are sent through your own mail provider.</p>
        <label className="cmp-field">
          <span>Host</span>
          <input data-testid="smtp-host" value={s.host} placeholder="smtp.example.com" onChange={(e) => setS({ ...s, host: e.target.value })} />
        </label>
        <label className="cmp-field">
          <span>Port</span>
          <input
            data-testid="smtp-port"
            inputMode="numeric"
            value={Number.isNaN(s.port) ? '' : String(s.port)}
            onChange={(e) => setS({ ...s, port: e.target.value === '' ? NaN : Number(e.target.value) })}
          />
        </label>
        <label className="cmp-field">
          <span>Security</span>
          <select data-testid="smtp-tls" className="select" value={s.tls} onChange={(e) => setS({ ...s, tls: e.target.value as TlsMode })}>
            {(Object.keys(TLS_LABELS) as TlsMode[]).map((m) => (
              <option key={m} value={m}>
                {TLS_LABELS[m]}
              </option>
            ))}
          </select>
        </label>
        <label className="cmp-field">
          <span>User</span>
          <input data-testid="smtp-user" value={s.username} placeholder="empty: no login" onChange={(e) => setS({ ...s, username: e.target.value })} />
        </label>
        <label className="cmp-field">
          <span>Password</span>
          <input
            type="password"
            data-testid="smtp-password"
            value={password}
            autoComplete="off"
            placeholder={current?.has_password && current.settings.username !== '' ? 'stored in the keychain (leave empty to keep)' : ''}
            onChange={(e) => setPassword(e.target.value)}
          />
        </label>
        <p className="cmp-hint">The password is kept in your system keychain, never in the Fanbase database.</p>
        <label className="cmp-field">
          <span>Unsubscribe link</span>
          <input
            data-testid="smtp-unsubscribe-url"
            value={s.unsubscribe_url_template}
            placeholder="https://… with {email}; used when the platform gives none"
            onChange={(e) => setS({ ...s, unsubscribe_url_template: e.target.value })}
          />
        </label>
        <label className="cmp-field">
          <span>Unsubscribe address</span>
          <input
            data-testid="smtp-unsubscribe-mailto"
            value={s.unsubscribe_mailto}
            placeholder="default: the campaign's sender"
            onChange={(e) => setS({ ...s, unsubscribe_mailto: e.target.value })}
          />
        </label>
        <label className="cmp-field cmp-field-wide">
          <span>Extra trusted CA (PEM)</span>
          <textarea
            data-testid="smtp-ca"
            rows={3}
            value={s.ca_pem}
            placeholder="Only for a test server with its own certificate authority"
            onChange={(e) => setS({ ...s, ca_pem: e.target.value })}
          />
        </label>
        {error !== null && (
          <p className="cmp-error" role="alert" data-testid="smtp-error">
            {error}
          </p>
        )}
        <button type="submit" hidden aria-hidden="true" tabIndex={-1} />
      </form>
    </Dialog>
  );
}
