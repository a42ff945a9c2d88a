import { useEffect, useState } from 'react';
import { AUDIT_PRESETS, type AuditFilter, type AuditPreset } from '../../../app/audit/audit-filter';
import { useAuditStore } from './audit-store';
import { onRadioArrow } from '../components/radio-keys';

const PRESET_LABEL: Record<AuditPreset, string> = {
  all: 'All',
  today: 'Today',
  '1h': '1 h',
  '24h': '24 h',
  '7d': '7 d',
};

type TextField = 'text' | 'project' | 'client' | 'method' | 'tool';
const FIELDS: { key: TextField; label: string; placeholder: string }[] = [
  { key: 'text', label: 'Search events', placeholder: 'Search…' },
  { key: 'project', label: 'Project', placeholder: 'project' },
  { key: 'client', label: 'Client', placeholder: 'client' },
  { key: 'method', label: 'Method', placeholder: 'method (tools/*)' },
  { key: 'tool', label: 'Tool', placeholder: 'tool' },
];

/** Filters, presets and export. Typing is applied after a short pause, not per keystroke. */
export function FilterBar() {
  const filter = useAuditStore((s) => s.filter);
  const setFilter = useAuditStore((s) => s.setFilter);
  const exportSelection = useAuditStore((s) => s.exportSelection);
  const [draft, setDraft] = useState<AuditFilter>(filter);

  // Outside changes (a session picked in the sidebar) show up in the inputs.
  useEffect(() => setDraft(filter), [filter]);

  useEffect(() => {
    if (sameFilter(draft, filter)) return;
    const t = setTimeout(() => void setFilter(draft), 300);
    return () => clearTimeout(t);
  }, [draft, filter, setFilter]);

  const update = (patch: Partial<AuditFilter>) => setDraft((d) => clean({ ...d, ...patch }));
  const applyNow = (patch: Partial<AuditFilter>) => {
    const next = clean({ ...draft, ...patch });
    setDraft(next);
    void setFilter(next);
  };

  return (
    <form
      className="audit-filters"
      role="search"
      aria-label="Filter audit events"
      onSubmit={(e) => {
        e.preventDefault();
        void setFilter(draft);
      }}
    >
      <div
        className="audit-presets"
        role="radiogroup"
        aria-label="Time range"
        onKeyDown={(e) =>
          onRadioArrow(e, AUDIT_PRESETS, filter.preset ?? 'all', (next) =>
            applyNow({ preset: next, since: undefined, until: undefined }),
          )
        }
      >
        {AUDIT_PRESETS.map((p) => {
          const active = (filter.preset ?? 'all') === p && !filter.since;
          return (
            <button
              key={p}
              type="button"
              role="radio"
              aria-checked={active}
              tabIndex={active ? 0 : -1}
              className={active ? 'preset active' : 'preset'}
              onClick={() => applyNow({ preset: p, since: undefined, until: undefined })}
            >
              {PRESET_LABEL[p]}
            </button>
          );
        })}
      </div>
      {filter.since && filter.until && (
        <span className="audit-span" data-testid="audit-span">
          {spanLabel(filter.since, filter.until)}{' '}
          <button
            type="button"
            aria-label="Show every time again"
            onClick={() => applyNow({ preset: 'all', since: undefined, until: undefined })}
          >
            ×
          </button>
        </span>
      )}
      {FIELDS.map((f) => (
        <input
          key={f.key}
          type={f.key === 'text' ? 'search' : 'text'}
          aria-label={f.label}
          placeholder={f.placeholder}
          className={`audit-input audit-input-${f.key}`}
          value={draft[f.key] ?? ''}
          onChange={(e) => update({ [f.key]: e.target.value })}
        />
      ))}
      <select
        aria-label="Status"
        className="audit-input"
        value={draft.status ?? ''}
        onChange={(e) =>
          applyNow({ status: (e.target.value || undefined) as AuditFilter['status'] })
        }
      >
        <option value="">any status</option>
        <option value="ok">ok</option>
        <option value="error">error</option>
      </select>
      <div className="audit-export" role="group" aria-label="Export the selection">
        <button type="button" onClick={() => void exportSelection('jsonl')}>
          Export JSONL
        </button>
        <button type="button" onClick={() => void exportSelection('csv')}>
          Export CSV
        </button>
      </div>
    </form>
  );
}

/** "11:02–11:03" for a span picked on the chart (the full times are in the tooltip). */
function spanLabel(since: string, until: string): string {
  const t = (iso: string) =>
    new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  return `${new Date(since).toLocaleDateString()} ${t(since)}–${t(until)}`;
}

function clean(f: AuditFilter): AuditFilter {
  const out: AuditFilter = {};
  for (const [k, v] of Object.entries(f) as [keyof AuditFilter, string | undefined][]) {
    if (v !== undefined && v !== '') (out as Record<string, string>)[k] = v;
  }
  return out;
}

function sameFilter(a: AuditFilter, b: AuditFilter): boolean {
  return JSON.stringify(clean(a)) === JSON.stringify(clean(b));
}
