// Owns the "New campaign" dialog: a name, a built-in template and the sender, then an editable draft.
import { useState } from 'react';
import { Button, Dialog } from '../components';
import type { LayoutId, TemplateInfo } from './api';

export interface NewCampaignValues {
  name: string;
  template: LayoutId;
  fromName: string;
  fromEmail: string;
}

export interface NewCampaignDialogProps {
  templates: TemplateInfo[];
  initial: NewCampaignValues;
  /** Names already used by the store's campaigns. */
  taken: string[];
  onCreate: (values: NewCampaignValues) => void;
  onCancel: () => void;
}

export function NewCampaignDialog({ templates, initial, taken, onCreate, onCancel }: NewCampaignDialogProps) {
  const [v, setV] = useState(initial);
  const clash = taken.some((n) => n.trim() === v.name.trim());
  const valid = v.name.trim() !== '' && !clash && v.fromEmail.includes('@');
  const submit = () => valid && onCreate(v);
  return (
    <Dialog
      title="New campaign"
      data-testid="new-campaign-dialog"
      onCancel={onCancel}
      actions={
        <>
          <Button onClick={onCancel}>Cancel</Button>
          <Button variant="primary" data-testid="new-campaign-create" disabled={!valid} onClick={submit}>
            Create draft
          </Button>
        </>
      }
    >
      <form
        className="cmp-form"
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <label className="cmp-field">
          <span>Name</span>
          <input data-testid="new-campaign-name" value={v.name} onChange={(e) => setV({ ...v, name: e.target.value })} />
        </label>
        {clash && <p className="cmp-error">A campaign with this name exists already: choose another name.</p>}
        <fieldset className="cmp-templates">
          <legend>Template</legend>
          {templates.map((t) => (
            <label key={t.id} className="cmp-template-choice">
              <input
                type="radio"
                name="template"
                value={t.id}
                data-testid={`new-campaign-template-${t.id}`}
                checked={v.template === t.id}
                onChange={() => setV({ ...v, template: t.id })}
              />
              {t.title}
            </label>
          ))}
        </fieldset>
        <label className="cmp-field">
          <span>From name</span>
          <input data-testid="new-campaign-from-name" value={v.fromName} onChange={(e) => setV({ ...v, fromName: e.target.value })} />
        </label>
        <label className="cmp-field">
          <span>From address</span>
          <input
            type="email"
            data-testid="new-campaign-from-email"
            value={v.fromEmail}
            placeholder="you@yourdomain.com"
            onChange={(e) => setV({ ...v, fromEmail: e.target.value })}
          />
        </label>
        <button type="submit" hidden aria-hidden="true" tabIndex={-1} />
      </form>
    </Dialog>
  );
}
