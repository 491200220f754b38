// How `run --shard` tells people what a shard runs: its own chapters, the ones it repeats
// because they are needed, and how the split was balanced.
import type { ShardPlan } from '../plan.ts';

export function describeShard(shard: ShardPlan): string {
  const { spec, split, own } = shard;
  const unit = split.basis === 'durations' ? 'ms by the last report' : 'steps';
  const lines = [`shard ${spec.index}/${spec.count} (balanced by ${split.basis === 'durations' ? 'durations' : 'step count'}):`];
  if (!own.own.length) lines.push('  no chapters fall to this shard; it runs nothing and passes');
  else {
    lines.push(`  own chapters: ${own.own.join(', ')}`);
    lines.push(`  needed first: ${own.needed.join(', ') || '(none)'}`);
  }
  lines.push(`  estimated cost ${Math.round(own.cost)} ${unit}; all shards: ${split.shards.map((s) => `${s.index}=${Math.round(s.cost)}`).join(' ')}`);
  return lines.join('\n') + '\n';
}
