// Owns one campaign's editor: every field of the campaign, autosaved; the live preview beside it;
// and the Send test / Send buttons, Send disabled with the reason while something blocks it.
import { useMemo, useState } from 'react';
import { Badge, Button } from '../components';
import type { SavedCampaign, SegmentChoice, TemplateInfo, Preview } from './api';
import { fromCampaign, sendBlockedReason, toCampaign, type Draft } from './campaignForm';
import { PreviewPane } from './PreviewPane';
import { useAutosave, type SaveState } from './useAutosave';
import { usePreview } from './usePreview';

export interface CampaignEditorProps {
  storeId: string;
  saved: SavedCampaign;
  templates: TemplateInfo[];
  segments: SegmentChoice[];
  /** A send of this campaign is running in this window. */
  sendingHere: boolean;
  onSaved: (saved: SavedCampaign, previousName: string) => void;
  onSendTest: (draft: Draft, renderedAs: string | null) => void;
  onSend: (draft: Draft, preview: Preview | null) => void;
  onDelete: (name: string) => void;
}

const SAVE_LABELS: Record<SaveState['kind'], string> = {
  saved: 'Saved',
  pending: 'Editing…',
  saving: 'Saving…',
  invalid: 'Not saved',
};

export function CampaignEditor({ storeId, saved, templates, segments, sendingHere, onSaved, onSendTest, onSend, onDelete }: CampaignEditorProps) {
  const [draft, setDraft] = useState<Draft>(() => fromCampaign(saved.campaign));
  const [confirmDelete, setConfirmDelete] = useState(false);
  const editable = saved.state === 'draft';
  const campaign = useMemo(() => toCampaign(draft), [draft]);
  const save = useAutosave(storeId, campaign, saved.campaign.name, editable, onSaved);
  const pv = usePreview(storeId, campaign);
  const blocked = sendBlockedReason(pv.preview, pv.error);
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => setDraft((d) => ({ ...d, [key]: value }));
  const field = (key: 'name' | 'subject' | 'preheader' | 'fromName' | 'fromEmail' | 'replyTo', label: string, type = 'text') => (
    <label className="cmp-field">
      <span>{label}</span>
      <input type={type} data-testid={`campaign-${key}`} value={draft[key]} onChange={(e) => set(key, e.target.value)} />
    </label>
  );
  const resumable = saved.state === 'sending' || saved.state === 'paused';

  return (
    <div className="cmp-editor" data-testid="campaign-editor" data-name={saved.campaign.name}>
      <div className="cmp-compose">
        <div className="cmp-editor-head">
          <span className="cmp-save" data-testid="save-state" data-state={save.kind} role="status">
            {editable ? SAVE_LABELS[save.kind] : 'Started campaigns cannot change'}
            {save.kind === 'invalid' && `: ${save.message}`}
          </span>
          {!editable && <Badge tone="info">{saved.state}</Badge>}
        </div>
        <fieldset className="cmp-fields" disabled={!editable}>
          {field('name', 'Name')}
          {field('subject', 'Subject')}
          {field('preheader', 'Preheader')}
          <div className="cmp-row">
            {field('fromName', 'From name')}
            {field('fromEmail', 'From address', 'email')}
          </div>
          {field('replyTo', 'Reply-to', 'email')}
          <label className="cmp-field">
            <span>Recipients</span>
            <select className="select" data-testid="campaign-segment" value={draft.segmentName} onChange={(e) => set('segmentName', e.target.value)}>
              <option value="">The whole list</option>
              {segments.map((s) => (
                <option key={s.name} value={s.name}>
                  {s.builtin ? `${s.name} (built-in)` : s.name}
                </option>
              ))}
              {draft.segmentName !== '' && !segments.some((s) => s.name === draft.segmentName) && <option value={draft.segmentName}>{draft.segmentName}</option>}
            </select>
          </label>
          <div className="cmp-row">
            <label className="cmp-field">
              <span>Template</span>
              <select
                className="select"
                data-testid="campaign-template"
                value={draft.template}
                disabled={draft.bodyMode === 'html'}
                onChange={(e) => set('template', e.target.value as Draft['template'])}
              >
                {templates.map((t) => (
                  <option key={t.id} value={t.id}>
                    {t.title}
                  </option>
                ))}
              </select>
            </label>
            <label className="cmp-field">
              <span>Body</span>
              <select className="select" data-testid="campaign-body-mode" value={draft.bodyMode} onChange={(e) => set('bodyMode', e.target.value as Draft['bodyMode'])}>
                <option value="markdown">Markdown in the template</option>
                <option value="html">Raw HTML (advanced)</option>
              </select>
            </label>
          </div>
          <label className="cmp-field cmp-field-wide">
            <span>{draft.bodyMode === 'html' ? 'HTML body' : 'Body (Markdown)'}</span>
            <textarea data-testid="campaign-body" rows={12} spellCheck value={draft.body} onChange={(e) => set('body', e.target.value)} />
          </label>
          <p className="cmp-hint">
            Merge tags: {'{{ first_name | default("there") }}'}, {'{{ name }}'}, {'{{ email }}'}, {'{{ daw }}'}, {'{{ type_of_music }}'}, {'{{ student_level }}'}, {'{{ custom.X }}'},{' '}
            {'{% if "vip" in tags %}…{% endif %}'}, {'{{ unsubscribe_url }}'}, {'{{ store_name }}'}.
          </p>
          <label className="cmp-field cmp-field-wide">
            <span>Postal address (footer)</span>
            <input data-testid="campaign-footerAddress" value={draft.footerAddress} placeholder="Required by anti-spam laws" onChange={(e) => set('footerAddress', e.target.value)} />
          </label>
          <label className="cmp-check">
            <input type="checkbox" data-testid="campaign-own-text" checked={draft.bodyText !== null} onChange={(e) => set('bodyText', e.target.checked ? draft.body : null)} />
            Write the plain-text part myself (otherwise it is generated from the body)
          </label>
          {draft.bodyText !== null && (
            <label className="cmp-field cmp-field-wide">
              <span>Plain-text part</span>
              <textarea data-testid="campaign-body-text" rows={8} value={draft.bodyText} onChange={(e) => set('bodyText', e.target.value)} />
            </label>
          )}
        </fieldset>
        <div className="cmp-actions">
          {editable &&
            (confirmDelete ? (
              <>
                <Button data-testid="campaign-delete-confirm" onClick={() => onDelete(saved.campaign.name)}>
                  Delete “{saved.campaign.name}”
                </Button>
                <Button variant="ghost" onClick={() => setConfirmDelete(false)}>
                  Keep it
                </Button>
              </>
            ) : (
              <Button variant="ghost" data-testid="campaign-delete" onClick={() => setConfirmDelete(true)}>
                Delete draft…
              </Button>
            ))}
          <span className="cmp-spacer" />
          <Button data-testid="send-test" onClick={() => onSendTest(draft, pv.preview?.fan?.email ?? null)}>
            Send test…
          </Button>
          {resumable ? (
            <Button variant="primary" data-testid="send-open" disabled={sendingHere} onClick={() => onSend(draft, null)}>
              {sendingHere ? 'Sending…' : 'Resume sending…'}
            </Button>
          ) : (
            <Button
              variant="primary"
              data-testid="send-open"
              disabled={!editable || blocked !== null}
              title={blocked ?? undefined}
              onClick={() => onSend(draft, pv.preview)}
            >
              Send…
            </Button>
          )}
        </div>
        {editable && blocked !== null && (
          <p className="cmp-blocked" data-testid="send-blocked-reason">
            Send is disabled: {blocked}
          </p>
        )}
      </div>
      <PreviewPane preview={pv.preview} counts={pv.counts} error={pv.error} searchError={pv.searchError} loading={pv.loading} onStep={pv.step} onSearch={pv.search} />
    </div>
  );
}
