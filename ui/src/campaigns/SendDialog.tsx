// Owns the send dialog: a confirmation that states the exact recipient count, then the progress
// bar with pause, resume and cancel, then how the send ended.
import { useState } from 'react';
import type { ApiError } from '../api';
import { Button, Dialog } from '../components';
import type { SendProgress, SendSummary } from './api';

export interface SendRun {
  name: string;
  running: boolean;
  progress: SendProgress | null;
  summary: SendSummary | null;
  error: ApiError | null;
}

export interface SendDialogProps {
  name: string;
  /** Exact recipients (null when resuming a started campaign: its outbox is already frozen). */
  recipients: number | null;
  leftOut: string;
  run: SendRun | null;
  onStart: (rate: number) => void;
  onControl: (action: 'pause' | 'resume' | 'cancel') => void;
  onClose: () => void;
}

const PHASES: Record<SendProgress['phase'], string> = {
  starting: 'Starting…',
  sending: 'Sending',
  paused: 'Paused',
  waiting: 'Waiting',
  done: 'Done',
  stopped: 'Stopped',
  cancelled: 'Cancelled',
};

const fmt = (n: number) => n.toLocaleString('en-US');

export function SendDialog({ name, recipients, leftOut, run, onStart, onControl, onClose }: SendDialogProps) {
  const [rate, setRate] = useState('10');
  const [confirmCancel, setConfirmCancel] = useState(false);
  const rateValue = Number(rate);
  const rateOk = Number.isFinite(rateValue) && rateValue > 0 && rateValue <= 1000;
  const running = run?.running ?? false;

  if (run === null) {
    const what = recipients === null ? `Resume sending “${name}” to the fans not sent yet?` : `Send “${name}” to exactly ${fmt(recipients)} ${recipients === 1 ? 'fan' : 'fans'}?`;
    return (
      <Dialog
        title="Send campaign"
        data-testid="send-dialog"
        onCancel={onClose}
        actions={
          <>
            <Button onClick={onClose}>Cancel</Button>
            <Button variant="primary" data-testid="send-confirm" disabled={!rateOk} onClick={() => onStart(rateValue)}>
              {recipients === null ? 'Resume sending' : `Send to ${fmt(recipients)} ${recipients === 1 ? 'fan' : 'fans'}`}
            </Button>
          </>
        }
      >
        <p data-testid="send-confirm-text" data-count={recipients ?? undefined}>
          {what}
        </p>
        {recipients !== null && <p className="cmp-hint">{leftOut}. This cannot be undone once it starts.</p>}
        <label className="cmp-field">
          <span>Messages per second</span>
          <input data-testid="send-rate" inputMode="decimal" value={rate} onChange={(e) => setRate(e.target.value)} />
        </label>
      </Dialog>
    );
  }

  const p = run.progress;
  const total = run.summary?.total ?? p?.total ?? 0;
  const done = run.summary !== null ? run.summary.sent + run.summary.failed + run.summary.skipped : p !== null ? p.sent + p.failed + p.skipped : 0;
  const phase = run.summary?.phase ?? p?.phase ?? 'starting';
  const paused = phase === 'paused';
  const counts = run.summary ?? p;
  return (
    <Dialog
      title={running ? `Sending “${name}”` : `“${name}”`}
      data-testid="send-dialog"
      onCancel={onClose}
      actions={
        running ? (
          <>
            {confirmCancel ? (
              <Button data-testid="send-cancel-confirm" onClick={() => onControl('cancel')}>
                Yes, never send the rest
              </Button>
            ) : (
              <Button data-testid="send-cancel" onClick={() => setConfirmCancel(true)}>
                Cancel send…
              </Button>
            )}
            {paused ? (
              <Button variant="primary" data-testid="send-resume" onClick={() => onControl('resume')}>
                Resume
              </Button>
            ) : (
              <Button variant="primary" data-testid="send-pause" onClick={() => onControl('pause')}>
                Pause
              </Button>
            )}
            <Button variant="ghost" onClick={onClose}>
              Hide
            </Button>
          </>
        ) : (
          <Button variant="primary" data-testid="send-close" onClick={onClose}>
            Close
          </Button>
        )
      }
    >
      <div className="cmp-progress" data-testid="send-progress" data-phase={phase} data-sent={counts?.sent ?? 0} data-total={total}>
        <progress max={Math.max(total, 1)} value={done} aria-label="Sending progress" />
        <p>
          <strong>{PHASES[phase]}</strong>: {fmt(counts?.sent ?? 0)} of {fmt(total)} sent
          {counts !== null && counts.failed > 0 && `, ${fmt(counts.failed)} failed`}
          {counts !== null && counts.skipped > 0 && `, ${fmt(counts.skipped)} skipped (unsubscribed meanwhile)`}
          {p?.note ? ` — ${p.note}` : ''}
        </p>
        {confirmCancel && running && <p className="cmp-hint">Cancelling ends this campaign: the fans not sent yet will not get it.</p>}
        {run.error !== null && (
          <p className="cmp-error" role="alert" data-testid="send-error">
            {run.error.message}
          </p>
        )}
        {!running && phase === 'stopped' && run.error === null && <p className="cmp-hint">Stopped. Open the campaign again to resume.</p>}
      </div>
    </Dialog>
  );
}
