import { useState } from 'react';
import { Button } from '@/components/ui/button';

// A calibration batch: the recruiter marks candidates as a good or a bad fit, then submits.
export default function CalibrationBatch() {
  const [ratings, setRatings] = useState({});
  const [sent, setSent] = useState(false);
  const rate = (id, value) => setRatings({ ...ratings, [id]: ratings[id] === value ? undefined : value });
  const submit = () => {
    const chosen = Object.fromEntries(Object.entries(ratings).filter(([, v]) => v));
    setSent(true);
    callAction({ name: 'rate_calibration', payload: { ratings: chosen } });
  };
  return (
    <div className="flex flex-col gap-2 w-full" id="calibration-batch">
      {props.candidates.map((c) => (
        <div key={c.profile_id} className="flex items-center justify-between gap-2 rounded-md border p-2"
             data-testid="calibration-row">
          <div className="text-sm">
            <div className="font-medium">{c.name} · {c.title}</div>
            <div className="text-muted-foreground">{c.location} · {c.years} years · {(c.skills || []).join(', ')}</div>
          </div>
          <div className="flex gap-1">
            <Button size="sm" disabled={sent} variant={ratings[c.profile_id] === 'good' ? 'default' : 'outline'}
                    onClick={() => rate(c.profile_id, 'good')}>Good fit</Button>
            <Button size="sm" disabled={sent} variant={ratings[c.profile_id] === 'bad' ? 'default' : 'outline'}
                    onClick={() => rate(c.profile_id, 'bad')}>Not a fit</Button>
          </div>
        </div>
      ))}
      <Button disabled={sent} onClick={submit} id="submit-ratings">Submit ratings</Button>
    </div>
  );
}
