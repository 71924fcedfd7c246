/*
 * Realistic incident and runbook text for the search benchmarks: English sentences of the kind
 * responders write (notes, decisions, hypotheses, actions, stakeholder updates, call minutes,
 * retrospectives), built from templates over an operations vocabulary. Unlike a made-up
 * vocabulary, this has what makes search as you type hard: stop words in every document, and
 * short prefixes (`re`, `de`, `co`, `da`) shared by hundreds of real words. Deterministic: the
 * same seed builds the same text in every run.
 */

const SERVICES = [
  'payments-api', 'checkout', 'auth', 'search', 'ledger', 'notifications', 'billing', 'inventory', 'orders', 'catalog',
  'payments-db', 'identity', 'gateway', 'webhooks', 'reporting', 'mobile-api', 'shipping', 'pricing', 'fraud', 'email',
];
const COMPONENTS = [
  'database', 'read replica', 'primary', 'cache', 'redis cluster', 'load balancer', 'CDN', 'DNS', 'TLS certificate', 'message queue',
  'kafka consumer', 'worker pool', 'connection pool', 'API gateway', 'ingress controller', 'feature flag', 'config map', 'stripe webhook',
  'cron job', 'batch export', 'search index', 'object storage', 'rate limiter', 'circuit breaker', 'service mesh', 'node pool',
  'kubernetes cluster', 'postgres primary', 'elasticsearch cluster', 'session store', 'payment processor', 'SMS provider', 'VPN',
  'bastion host', 'deploy pipeline', 'container registry', 'secrets manager', 'firewall rule', 'autoscaler', 'health check',
];
const SYMPTOMS = [
  'elevated latency', 'high error rate', '5xx responses', 'timeouts', 'replication lag', 'CPU saturation', 'memory pressure',
  'OOM kills', 'a crash loop', 'packet loss', 'throttling', 'disk full', 'connection resets', 'failed health checks',
  'stale reads', 'duplicate charges', 'dropped messages', 'slow queries', 'lock contention', 'expired credentials',
  'certificate errors', 'DNS resolution failures', 'queue backlog', 'retry storms', 'thundering herd',
];
const VERBS_DONE = [
  'rolled back', 'failed over', 'restarted', 'scaled up', 'drained', 'disabled', 'purged', 'rotated', 'redeployed', 'paused',
  'throttled', 'increased the limit of', 'reverted the change to', 'cordoned', 'resized', 'flushed', 're-enabled', 'patched',
];
const PEOPLE = ['Ana', 'Bo', 'Cy', 'Dee', 'Eli', 'Fay', 'Gus', 'Hana', 'Ivo', 'Jun', 'Kai', 'Lea', 'Mo', 'Nia', 'Oto', 'Pia'];
const TEAMS = ['platform', 'payments', 'SRE', 'data', 'networking', 'security', 'support', 'mobile', 'identity', 'storage'];
const REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-southeast-1', 'ap-northeast-1'];
const CAUSES = [
  'a config change that lowered the pool size', 'a schema migration that locked the orders table', 'an expired intermediate certificate',
  'a noisy neighbour on the shared node pool', 'a retry loop without backoff in the client', 'a dependency upgrade that changed timeouts',
  'a feature flag rolled out to every region at once', 'a disk that filled with debug logs', 'a DNS TTL that was too long to fail over',
  'a missing index on the payments table', 'a cron job that ran twice', 'a cache stampede after the deploy', 'a provider outage upstream',
  'a misconfigured firewall rule', 'an alert threshold set too high to notice', 'a runbook step that was out of date',
];
const CATEGORIES = ['detection', 'change', 'dependency', 'capacity', 'process'];

export interface Rng {
  (): number;
}

/** The same linear congruential generator as the runbook benchmarks, with its own seed. */
export function rng(seed: number): Rng {
  let s = seed;
  return () => {
    s = (s * 1_103_515_245 + 12_345) & 0x7fffffff;
    return s / 0x7fffffff;
  };
}

/** Zipf-like pick: early items are much more frequent, as real words are. */
function pick<T>(r: Rng, list: readonly T[]): T {
  return list[Math.floor(list.length * r() ** 2)] as T;
}
const n = (r: Rng, lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));

export interface SyntheticIncident {
  title: string;
  summary: string;
  services: string[];
  severity: number;
  entries: Array<{ kind: 'note' | 'decision' | 'hypothesis' | 'action.added' | 'update.posted' | 'minutes.written'; text: string }>;
  retro: { summary: string; impact: string; factors: Array<{ text: string; category: string }> };
}

export function sentence(r: Rng, service: string): string {
  const c = pick(r, COMPONENTS);
  const s = pick(r, SYMPTOMS);
  const templates = [
    () => `Seeing ${s} on ${service} since ${n(r, 0, 23)}:${String(n(r, 0, 59)).padStart(2, '0')} UTC, mostly from ${pick(r, REGIONS)}.`,
    () => `The ${c} for ${service} shows ${s}; ${pick(r, PEOPLE)} is checking the dashboards.`,
    () => `We ${pick(r, VERBS_DONE)} the ${c} and ${s} went down within ${n(r, 1, 15)} minutes.`,
    () => `Customers report ${s} at checkout; support has ${n(r, 3, 300)} tickets so far.`,
    () => `${pick(r, PEOPLE)} thinks this is ${pick(r, CAUSES)}.`,
    () => `The ${pick(r, TEAMS)} team is looking at the ${c} logs in ${pick(r, REGIONS)}.`,
    () => `No change in ${s} after we ${pick(r, VERBS_DONE)} the ${c}.`,
    () => `Error budget for ${service} is down to ${n(r, 1, 90)}% after this.`,
  ];
  return (templates[Math.floor(r() * templates.length)] as () => string)();
}
const paragraph = (r: Rng, service: string, k: number) => Array.from({ length: k }, () => sentence(r, service)).join(' ');

export function syntheticIncident(r: Rng, i: number): SyntheticIncident {
  const service = pick(r, SERVICES);
  const other = pick(r, SERVICES);
  const services = service === other ? [service] : [service, other];
  const c = pick(r, COMPONENTS);
  const s = pick(r, SYMPTOMS);
  const cause = pick(r, CAUSES);
  const entries: SyntheticIncident['entries'] = [];
  for (let e = 0, k = n(r, 3, 8); e < k; e++) entries.push({ kind: 'note', text: sentence(r, service) });
  entries.push({ kind: 'hypothesis', text: `Maybe ${cause}: the ${c} started showing ${s} right after.` });
  entries.push({ kind: 'decision', text: `We ${pick(r, VERBS_DONE)} the ${c} on ${service} rather than wait for the ${pick(r, TEAMS)} team.` });
  entries.push({ kind: 'action.added', text: `${pick(r, PEOPLE)} to add an alert on ${s} for the ${c} of ${service}.` });
  entries.push({ kind: 'update.posted', text: `We are investigating ${s} affecting ${service}. ${paragraph(r, service, 1)} Next update in 30 minutes.` });
  entries.push({
    kind: 'minutes.written',
    text: `Call minutes, incident ${i}. Attendees: ${PEOPLE.slice(i % 8, (i % 8) + 4).join(', ')}. ${paragraph(r, service, 5)} Decided: ${pick(r, VERBS_DONE)} the ${c}. Follow up with the ${pick(r, TEAMS)} team about ${cause}.`,
  });
  return {
    title: `${s[0]!.toUpperCase()}${s.slice(1)} on ${service} ${c}`,
    summary: `${paragraph(r, service, 2)}`,
    services,
    severity: 1 + (i % 4),
    entries,
    retro: {
      summary: `The ${c} of ${service} had ${s} for ${n(r, 10, 180)} minutes because of ${cause}. ${paragraph(r, service, 2)}`,
      impact: `About ${n(r, 1, 40)}% of ${service} requests failed in ${pick(r, REGIONS)}; ${n(r, 10, 5000)} customers saw ${pick(r, SYMPTOMS)}.`,
      factors: [
        { text: cause, category: pick(r, CATEGORIES) },
        { text: `No alert on ${pick(r, SYMPTOMS)} for the ${pick(r, COMPONENTS)}.`, category: 'detection' },
      ],
    },
  };
}

/** A runbook in Markdown with front matter, in the same vocabulary as the incidents. */
export function syntheticRunbook(r: Rng, i: number): { name: string; text: string } {
  const service = pick(r, SERVICES);
  const c = pick(r, COMPONENTS);
  const s = pick(r, SYMPTOMS);
  const lines = [
    '---',
    `title: ${s[0]!.toUpperCase()}${s.slice(1)} on the ${c} (${service})`,
    `services: [${service}]`,
    `tags: [${pick(r, TEAMS)}, ${c.split(' ')[0]}]`,
    `owner: ${pick(r, TEAMS)}`,
    `last_verified: 2026-0${1 + (i % 9)}-15`,
    '---',
    `# ${c} ${s} (${i})`,
    '',
    `Use this when ${service} shows ${s} and the ${c} is suspected. ${paragraph(r, service, 2)}`,
    '',
    '## Steps',
  ];
  for (let k = 0, m = n(r, 4, 8); k < m; k++) lines.push(`- [ ] ${pick(r, VERBS_DONE).replace(/^./, (x) => x.toUpperCase())} the ${pick(r, COMPONENTS)} and check for ${pick(r, SYMPTOMS)}`);
  lines.push('', '## Background', '', paragraph(r, service, 4), '', `Escalate to the ${pick(r, TEAMS)} team if ${s} lasts longer than ${n(r, 5, 60)} minutes.`);
  return { name: `runbook-${i}-${c.replace(/\W+/g, '-').toLowerCase()}`, text: lines.join('\n') };
}

/**
 * What people type into the search boxes, one character at a time: words from the vocabulary,
 * a phrase in quotes, a service name, a prefix that matches most documents.
 */
export const TYPED_INCIDENT_QUERIES = [
  'database failover',
  'read replica lag',
  'stripe webhook',
  '"connection pool"',
  'certificate expired',
  'rolled back deploy',
  'payments-db',
  'retry storm checkout',
  'dns resolution',
  'customers report timeouts',
];
export const TYPED_RUNBOOK_QUERIES = [
  'database failover',
  'replica lag',
  'restart worker pool',
  '"load balancer"',
  'certificate rotation',
  'kafka consumer',
  'redis cluster memory',
  'rollback',
];
