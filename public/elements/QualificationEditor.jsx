import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';

// The proposed qualifications as an editable list: edit the text, switch must/nice, remove, add, approve.
// Blocked qualifications show the policy explanation and are not sent back.
export default function QualificationEditor() {
  const [rows, setRows] = useState(props.qualifications.map((q, i) => ({ ...q, key: i, removed: false })));
  const [draft, setDraft] = useState('');
  const [sent, setSent] = useState(false);

  const change = (key, patch) => setRows(rows.map((r) => (r.key === key ? { ...r, ...patch } : r)));
  const add = () => {
    const text = draft.trim();
    if (!text) return;
    setRows([...rows, { key: rows.length + 1000, text, kind: 'must', policy: { status: 'ok' }, removed: false, added: true }]);
    setDraft('');
  };
  const approve = () => {
    const kept = rows.filter((r) => !r.removed && r.policy.status !== 'blocked');
    const qualifications = kept.map((r) => {
      const original = props.qualifications.find((q) => q.text === r.text);
      if (r.added || !original) return { text: r.text, kind: r.kind };
      if (original.text === r.text) {
        const { key, removed, added, ...rest } = r;
        return rest;
      }
      return { text: r.text, kind: r.kind };
    });
    setSent(true);
    callAction({ name: 'approve_qualifications', payload: { action: 'approve', qualifications } });
  };
  const cancel = () => {
    setSent(true);
    callAction({ name: 'approve_qualifications', payload: { action: 'cancel' } });
  };

  return (
    <div className="flex flex-col gap-2 w-full" id="qualification-editor">
      {props.changes.map((c, i) => (
        <div key={`c${i}`} className="text-sm text-muted-foreground">Change: {c}</div>
      ))}
      {rows.map((r) => (
        <div key={r.key} className={`flex flex-col gap-1 rounded-md border p-2 ${r.removed ? 'opacity-40' : ''}`}
             data-testid="qualification-row">
          <div className="flex items-center gap-2">
            <select value={r.kind} disabled={sent || r.removed} className="rounded border bg-background px-1 text-sm"
                    onChange={(e) => change(r.key, { kind: e.target.value })} aria-label="kind">
              <option value="must">must</option>
              <option value="nice">nice</option>
            </select>
            <Input value={r.text} disabled={sent || r.removed || r.policy.status === 'blocked'} aria-label="qualification"
                   onChange={(e) => change(r.key, { text: e.target.value })} />
            <Button variant="outline" size="sm" disabled={sent} onClick={() => change(r.key, { removed: !r.removed })}>
              {r.removed ? 'Restore' : 'Remove'}
            </Button>
          </div>
          {r.inferred && <div className="text-xs text-muted-foreground">inferred, not stated</div>}
          {r.review && <div className="text-xs text-amber-600" data-testid="review-note">
            needs your review: no automatic check reads it, so it is not scored</div>}
          {r.policy.status !== 'ok' && (
            <div className={`text-xs ${r.policy.status === 'blocked' ? 'text-red-600' : 'text-amber-600'}`}
                 data-testid="policy-note">
              {r.policy.status}: {r.policy.explanation}
            </div>
          )}
        </div>
      ))}
      <div className="flex items-center gap-2">
        <Input value={draft} disabled={sent} placeholder="Add a qualification, e.g. Experience with Terraform"
               aria-label="new qualification" onChange={(e) => setDraft(e.target.value)}
               onKeyDown={(e) => { if (e.key === 'Enter') add(); }} />
        <Button variant="outline" size="sm" disabled={sent} onClick={add}>Add</Button>
      </div>
      {props.questions.map((q, i) => (
        <div key={`q${i}`} className="text-sm">? {q}</div>
      ))}
      <div className="flex gap-2">
        <Button disabled={sent} onClick={approve} id="approve-qualifications">Approve</Button>
        <Button variant="outline" disabled={sent} onClick={cancel}>Cancel</Button>
      </div>
    </div>
  );
}
