// Owns the visual segment builder: nested all/any/none groups of conditions, each with a field
// picker, the operators that fit the field's kind and a value input fitting the operator.
import type { FieldSpec } from './api';
import {
  addMember,
  conditionHasError,
  GROUP_LABELS,
  groupHasError,
  memberPath,
  newCondition,
  newGroup,
  OP_LABELS,
  removeNode,
  shapeOf,
  specOf,
  updateNode,
  withField,
  withOp,
  type ConditionDraft,
  type GroupDraft,
  type GroupKind,
} from './segmentDraft';

export interface SegmentBuilderProps {
  root: GroupDraft;
  fields: FieldSpec[];
  /** Tag names of the store, suggested in tag values. */
  tags: string[];
  /** The domain's validation error (starts with the bad node's path), if any. */
  error: string | null;
  onChange: (root: GroupDraft) => void;
}

export function SegmentBuilder({ root, fields, tags, error, onChange }: SegmentBuilderProps) {
  return (
    <div className="segment-builder" data-testid="segment-builder">
      <GroupView group={root} path="" isRoot fields={fields} error={error} root={root} onChange={onChange} />
      <datalist id="segment-tag-names">
        {tags.map((t) => (
          <option key={t} value={t} />
        ))}
      </datalist>
    </div>
  );
}

interface NodeProps {
  root: GroupDraft;
  fields: FieldSpec[];
  error: string | null;
  onChange: (root: GroupDraft) => void;
  path: string;
}

function GroupView({ group, isRoot = false, ...p }: NodeProps & { group: GroupDraft; isRoot?: boolean }) {
  const bad = groupHasError(p.error, p.path, group.kind);
  const label = isRoot ? 'Fans matching' : 'Group';
  return (
    <div
      className={`segment-group group-${group.kind}${bad ? ' has-error' : ''}`}
      data-testid="segment-group"
      data-path={p.path === '' ? 'root' : p.path}
      data-kind={group.kind}
      role="group"
      aria-label={`${label}: ${GROUP_LABELS[group.kind]}`}
    >
      <div className="group-head">
        <label className="group-kind">
          <span className="field-label">{label}</span>
          <select
            className="select"
            data-testid="group-kind"
            value={group.kind}
            onChange={(e) =>
              p.onChange(updateNode(p.root, group.id, (g) => (g.type === 'group' ? { ...g, kind: e.target.value as GroupKind } : g)))
            }
          >
            {(Object.keys(GROUP_LABELS) as GroupKind[]).map((k) => (
              <option key={k} value={k}>
                {GROUP_LABELS[k]}
              </option>
            ))}
          </select>
        </label>
        {!isRoot && (
          <button
            type="button"
            className="btn btn-ghost"
            data-testid="group-remove"
            aria-label="Remove this group"
            onClick={() => p.onChange(removeNode(p.root, group.id))}
          >
            Remove group
          </button>
        )}
      </div>
      {group.members.length === 0 && (
        <p className="group-empty">{isRoot ? 'Add a condition to start.' : 'An empty group matches nothing useful: add a condition.'}</p>
      )}
      <ul className="group-members">
        {group.members.map((m, i) => {
          const path = memberPath(p.path, group.kind, i);
          return (
            <li key={m.id}>
              {m.type === 'group' ? (
                <GroupView {...p} group={m} path={path} />
              ) : (
                <ConditionView {...p} condition={m} path={path} />
              )}
            </li>
          );
        })}
      </ul>
      <div className="group-actions">
        <button
          type="button"
          className="btn btn-secondary"
          data-testid="group-add-condition"
          onClick={() => p.onChange(addMember(p.root, group.id, newCondition(p.fields)))}
        >
          + Condition
        </button>
        <button
          type="button"
          className="btn btn-secondary"
          data-testid="group-add-group"
          onClick={() => p.onChange(addMember(p.root, group.id, newGroup('any', [newCondition(p.fields)])))}
        >
          + Group
        </button>
      </div>
    </div>
  );
}

function ConditionView({ condition: c, ...p }: NodeProps & { condition: ConditionDraft }) {
  const spec = specOf(p.fields, c.field);
  const shape = shapeOf(spec.kind, c.op);
  const bad = conditionHasError(p.error, p.path);
  const set = (next: ConditionDraft) => p.onChange(updateNode(p.root, c.id, () => next));
  const fieldOptions = p.fields.some((f) => f.field === c.field) ? p.fields : [...p.fields, spec];
  return (
    <div className={`segment-condition${bad ? ' has-error' : ''}`} data-testid="segment-condition" data-path={p.path}>
      <select
        className="select"
        aria-label="Field"
        data-testid="cond-field"
        value={c.field}
        onChange={(e) => set(withField(c, p.fields, e.target.value))}
      >
        {fieldOptions.map((f) => (
          <option key={f.field} value={f.field}>
            {f.field}
          </option>
        ))}
      </select>
      <select className="select" aria-label="Operator" data-testid="cond-op" value={c.op} onChange={(e) => set(withOp(c, p.fields, e.target.value))}>
        {spec.ops.map((op) => (
          <option key={op} value={op}>
            {OP_LABELS[op] ?? op}
          </option>
        ))}
      </select>
      <ValueInput condition={c} spec={spec} shape={shape} onChange={set} />
      <button
        type="button"
        className="btn btn-ghost"
        data-testid="cond-remove"
        aria-label={`Remove the condition on ${c.field}`}
        onClick={() => p.onChange(removeNode(p.root, c.id))}
      >
        ×
      </button>
    </div>
  );
}

function ValueInput({
  condition: c,
  spec,
  shape,
  onChange,
}: {
  condition: ConditionDraft;
  spec: FieldSpec;
  shape: ReturnType<typeof shapeOf>;
  onChange: (c: ConditionDraft) => void;
}) {
  const inputType = spec.kind === 'date' ? 'date' : 'text';
  const numeric = spec.kind === 'number' ? 'decimal' : undefined;
  const text = (value: string, key: 'value' | 'value2', label: string, extra: Record<string, string> = {}) => (
    <input
      className="input cond-value"
      data-testid={key === 'value' ? 'cond-value' : 'cond-value2'}
      aria-label={label}
      type={inputType}
      inputMode={numeric}
      value={value}
      onChange={(e) => onChange({ ...c, [key]: e.target.value })}
      {...extra}
    />
  );
  switch (shape) {
    case 'none':
      return <span className="cond-novalue" />;
    case 'bool':
      return (
        <select className="select" aria-label="Value" data-testid="cond-value" value={c.value} onChange={(e) => onChange({ ...c, value: e.target.value })}>
          <option value="true">yes</option>
          <option value="false">no</option>
        </select>
      );
    case 'days':
      return (
        <span className="cond-days">
          <input
            className="input cond-value cond-short"
            data-testid="cond-value"
            aria-label="Days"
            inputMode="numeric"
            value={c.value}
            onChange={(e) => onChange({ ...c, value: e.target.value })}
          />
          days
        </span>
      );
    case 'range':
      return (
        <span className="cond-range">
          {text(c.value, 'value', 'From')}
          and
          {text(c.value2, 'value2', 'To')}
        </span>
      );
    case 'list':
      return (
        <input
          className="input cond-value cond-wide"
          data-testid="cond-value"
          aria-label={spec.kind === 'tags' ? 'Tags, separated by commas' : 'Values, separated by commas'}
          placeholder={spec.kind === 'tags' ? 'vip, course-buyer' : spec.values !== undefined ? spec.values.join(', ') : 'one, another'}
          list={spec.kind === 'tags' ? 'segment-tag-names' : undefined}
          inputMode={numeric}
          value={c.value}
          onChange={(e) => onChange({ ...c, value: e.target.value })}
        />
      );
    case 'single':
      if (spec.values !== undefined) {
        return (
          <select className="select" aria-label="Value" data-testid="cond-value" value={c.value} onChange={(e) => onChange({ ...c, value: e.target.value })}>
            {spec.values.map((v) => (
              <option key={v} value={v}>
                {v}
              </option>
            ))}
          </select>
        );
      }
      return text(c.value, 'value', 'Value');
  }
}
