// Owns the campaigns area: the store's campaigns, the editor of the chosen one, and the dialogs to
// create a campaign, set up SMTP, send a test and send (with progress that survives closing it).
import { useCallback, useEffect, useState } from 'react';
import { toApiError, type ApiError } from '../api';
import { Badge, Button, EmptyState, Toast } from '../components';
import {
  campaignDelete,
  campaignList,
  campaignSave,
  campaignSegments,
  campaignSend,
  campaignSendControl,
  campaignTemplates,
  smtpSettingsGet,
  type Preview,
  type SavedCampaign,
  type SegmentChoice,
  type SendProgress,
  type SmtpState,
  type TemplateInfo,
} from './api';
import { CampaignEditor } from './CampaignEditor';
import { leftOutText, newDraft, toCampaign, uniqueName, type Draft } from './campaignForm';
import { NewCampaignDialog, type NewCampaignValues } from './NewCampaignDialog';
import { SendDialog, type SendRun } from './SendDialog';
import { SendTestDialog } from './SendTestDialog';
import { SmtpDialog } from './SmtpDialog';
import './campaigns.css';

export interface CampaignsAreaProps {
  storeId: string | null;
  onError: (error: ApiError) => void;
}

type Open =
  | { kind: 'none' }
  | { kind: 'new' }
  | { kind: 'smtp' }
  | { kind: 'test'; draft: Draft; renderedAs: string | null };

interface SendTarget {
  draft: Draft;
  recipients: number | null;
  leftOut: string;
}

export function CampaignsArea({ storeId, onError }: CampaignsAreaProps) {
  const [list, setList] = useState<SavedCampaign[] | null>(null);
  const [templates, setTemplates] = useState<TemplateInfo[]>([]);
  const [segments, setSegments] = useState<SegmentChoice[]>([]);
  const [smtp, setSmtp] = useState<SmtpState | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [open, setOpen] = useState<Open>({ kind: 'none' });
  const [run, setRun] = useState<SendRun | null>(null);
  const [sendTarget, setSendTarget] = useState<SendTarget | null>(null);
  const [sendShown, setSendShown] = useState(false);
  const [toast, setToast] = useState<string | null>(null);
  const closeToast = useCallback(() => setToast(null), []);

  const reload = useCallback(async () => {
    if (storeId === null) return;
    try {
      const campaigns = await campaignList(storeId);
      setList(campaigns);
      setSelected((s) => (s !== null && campaigns.some((c) => c.campaign.name === s) ? s : (campaigns[0]?.campaign.name ?? null)));
    } catch (err) {
      onError(toApiError(err));
      setList([]);
    }
  }, [storeId, onError]);

  useEffect(() => {
    setList(null);
    setSelected(null);
    void reload();
    if (storeId === null) return;
    campaignSegments(storeId).then(setSegments, (err) => onError(toApiError(err)));
  }, [storeId, reload, onError]);

  useEffect(() => {
    campaignTemplates().then(setTemplates, (err) => onError(toApiError(err)));
    smtpSettingsGet().then(setSmtp, (err) => onError(toApiError(err)));
  }, [onError]);

  const onSaved = useCallback((saved: SavedCampaign, previousName: string) => {
    setList((l) => {
      const rest = (l ?? []).filter((c) => c.campaign.name !== previousName && c.campaign.name !== saved.campaign.name);
      return [saved, ...rest];
    });
    setSelected((s) => (s === previousName ? saved.campaign.name : s));
  }, []);

  if (storeId === null) {
    return (
      <EmptyState title="No fan list yet">
        <p>Campaigns go to the fans of a store. Import a CSV or load sample fans first.</p>
      </EmptyState>
    );
  }

  const names = (list ?? []).map((c) => c.campaign.name);
  const current = list?.find((c) => c.campaign.name === selected) ?? null;
  const latest = list?.[0]?.campaign;

  const create = async (v: NewCampaignValues) => {
    try {
      const saved = await campaignSave(storeId, toCampaign(newDraft(v.name.trim(), v.template, v.fromName, v.fromEmail)), null);
      setOpen({ kind: 'none' });
      setList((l) => [saved, ...(l ?? [])]);
      setSelected(saved.campaign.name);
    } catch (err) {
      onError(toApiError(err));
    }
  };

  const remove = async (name: string) => {
    try {
      await campaignDelete(storeId, name);
      setSelected(null);
      await reload();
    } catch (err) {
      onError(toApiError(err));
    }
  };

  const openSend = (draft: Draft, preview: Preview | null) => {
    if (run !== null && run.running) {
      setSendShown(true);
      return;
    }
    setRun(null);
    setSendShown(true);
    setSendTarget({
      draft,
      recipients: preview === null ? null : preview.counts.recipients,
      leftOut: preview === null ? '' : leftOutText(preview.counts),
    });
  };

  const startSend = (draft: Draft, rate: number) => {
    const name = draft.name.trim();
    setRun({ name, running: true, progress: null, summary: null, error: null });
    let first = true;
    const onProgress = (progress: SendProgress) => {
      setRun((r) => (r === null ? r : { ...r, progress }));
      if (first) {
        // The campaign is now started (its state changed): the editor turns read-only.
        first = false;
        void reload();
      }
    };
    campaignSend(storeId, toCampaign(draft), rate, onProgress)
      .then(
        (summary) => setRun((r) => (r === null ? r : { ...r, running: false, summary })),
        (err) => setRun((r) => (r === null ? r : { ...r, running: false, error: toApiError(err) })),
      )
      .finally(() => void reload());
  };

  const control = (action: 'pause' | 'resume' | 'cancel') => {
    const id = run?.progress?.campaign_id;
    if (id === undefined) return;
    campaignSendControl(id, action).catch((err) => onError(toApiError(err)));
  };

  const newValues: NewCampaignValues = {
    name: uniqueName('Untitled campaign', names),
    template: 'announcement',
    fromName: latest?.from_name ?? '',
    fromEmail: latest?.from_email ?? '',
  };

  return (
    <div className="cmp-area" data-testid="campaigns-area">
      <aside className="cmp-list" aria-label="Campaigns">
        <div className="cmp-list-actions">
          <Button variant="primary" data-testid="campaign-new" onClick={() => setOpen({ kind: 'new' })}>
            New campaign
          </Button>
          <Button data-testid="smtp-open" onClick={() => setOpen({ kind: 'smtp' })}>
            SMTP settings
          </Button>
        </div>
        {smtp === null && <p className="cmp-hint">No SMTP server yet: set one up to send.</p>}
        {list === null ? (
          <p className="cmp-muted">Loading campaigns…</p>
        ) : list.length === 0 ? (
          <p className="cmp-muted" data-testid="campaigns-empty">
            No campaigns yet. Start one from a template.
          </p>
        ) : (
          <ul className="cmp-items">
            {list.map((c) => (
              <li key={c.id}>
                <button
                  type="button"
                  className="cmp-item"
                  data-testid="campaign-item"
                  data-name={c.campaign.name}
                  aria-current={c.campaign.name === selected ? 'true' : undefined}
                  onClick={() => setSelected(c.campaign.name)}
                >
                  <span className="cmp-item-name">{c.campaign.name}</span>
                  <Badge tone={c.state === 'draft' ? 'neutral' : c.state === 'done' ? 'success' : 'info'}>{c.state}</Badge>
                </button>
              </li>
            ))}
          </ul>
        )}
        {run !== null && sendTarget !== null && !sendShown && (
          <button type="button" className="cmp-run-chip" data-testid="send-show" onClick={() => setSendShown(true)}>
            {run.running ? `Sending “${run.name}”: ${run.progress?.sent ?? 0} of ${run.progress?.total ?? '…'}` : `“${run.name}”: ${run.summary?.phase ?? 'ended'}`}
          </button>
        )}
      </aside>
      <section className="cmp-main">
        {current !== null ? (
          <CampaignEditor
            key={`${storeId}:${current.id}`}
            storeId={storeId}
            saved={current}
            templates={templates}
            segments={segments}
            sendingHere={run !== null && run.running && run.name === current.campaign.name}
            onSaved={onSaved}
            onSendTest={(draft, renderedAs) => setOpen({ kind: 'test', draft, renderedAs })}
            onSend={openSend}
            onDelete={(name) => void remove(name)}
          />
        ) : (
          list !== null && (
            <EmptyState
              title="Write to your fans"
              action={
                <Button variant="primary" onClick={() => setOpen({ kind: 'new' })}>
                  New campaign
                </Button>
              }
            >
              <p>Pick a template, personalise it with merge tags, preview it as any fan and send it through your own mail provider.</p>
            </EmptyState>
          )
        )}
      </section>
      {open.kind === 'new' && (
        <NewCampaignDialog templates={templates} initial={newValues} taken={names} onCreate={(v) => void create(v)} onCancel={() => setOpen({ kind: 'none' })} />
      )}
      {open.kind === 'smtp' && (
        <SmtpDialog
          current={smtp}
          onSaved={(s) => {
            setSmtp(s);
            setOpen({ kind: 'none' });
            setToast('SMTP settings saved.');
          }}
          onCancel={() => setOpen({ kind: 'none' })}
        />
      )}
      {open.kind === 'test' && (
        <SendTestDialog
          storeId={storeId}
          campaign={toCampaign(open.draft)}
          renderedAs={open.renderedAs}
          initialTo={open.draft.replyTo !== '' ? open.draft.replyTo : open.draft.fromEmail}
          onSent={(sent) => {
            setOpen({ kind: 'none' });
            setToast(`Test sent to ${sent.to} as ${sent.rendered_as ?? 'a sample fan'}.`);
          }}
          onCancel={() => setOpen({ kind: 'none' })}
          onOpenSmtp={() => setOpen({ kind: 'smtp' })}
        />
      )}
      {sendTarget !== null && sendShown && (
        <SendDialog
          name={sendTarget.draft.name.trim()}
          recipients={sendTarget.recipients}
          leftOut={sendTarget.leftOut}
          run={run}
          onStart={(rate) => startSend(sendTarget.draft, rate)}
          onControl={control}
          onClose={() => {
            setSendShown(false);
            if (run === null || !run.running) {
              setSendTarget(null);
              setRun(null);
            }
          }}
        />
      )}
      {toast !== null && (
        <Toast onClose={closeToast}>
          <span data-testid="campaign-toast">{toast}</span>
        </Toast>
      )}
    </div>
  );
}
