#!/usr/bin/env node
// The other side of examples/webrtc: Google's libwebrtc (its SCTP is dcsctp)
// through @roamhq/wrtc, driving the C peer (webrtc_peer) as a child process.
// It makes the SDP offer, gives it to the C peer on stdin, takes the answer
// from its stdout, then runs the cases and prints TAP.
//
// usage: node peer.js PATH/TO/webrtc_peer active|passive
//   active|passive: the DTLS role the C peer takes in its answer
'use strict';
const { spawn } = require('child_process');
const wrtc = require('@roamhq/wrtc');

const [peerPath, cSetup] = process.argv.slice(2);
if (!peerPath || !['active', 'passive'].includes(cSetup)) {
  console.error('usage: node peer.js WEBRTC_PEER active|passive');
  process.exit(2);
}
const cIsClient = cSetup === 'active';
const STEP_MS = 20000;

// ------------------------------------------------------------------ TAP
let n = 0, failed = 0;
function ok(cond, name, diag) {
  n++;
  if (!cond) failed++;
  console.log(`${cond ? 'ok' : 'not ok'} ${n} - [${cSetup}] ${name}`);
  if (!cond && diag) console.log(`# ${String(diag).replace(/\n/g, '\n# ')}`);
}
function skip(name, why) {
  n++;
  console.log(`ok ${n} - [${cSetup}] ${name} # SKIP ${why}`);
}
const note = (s) => console.log(`# ${s}`);

// ------------------------------------------------------- the C peer
const child = spawn(peerPath, ['--setup', cSetup], { stdio: ['pipe', 'pipe', 'inherit'] });
let childExit = null;
child.on('exit', (code, sig) => { childExit = sig || code; wake(); });
const lines = [];
let waiters = [];
function wake() { const w = waiters; waiters = []; w.forEach((f) => f()); }
let buf = '';
child.stdout.on('data', (d) => {
  buf += d.toString();
  let i;
  while ((i = buf.indexOf('\n')) >= 0) {
    const l = buf.slice(0, i).replace(/\r$/, '');
    buf = buf.slice(i + 1);
    if (process.env.WEBRTC_VERBOSE) note(`C: ${l}`);
    lines.push(l);
    wake();
  }
});
child.stdin.on('error', () => {}); // the C peer may be gone at the end
const cmd = (s) => child.stdin.write(s + '\n');

// Waits for (and removes) the first C line matching re.
function cLine(re, ms = STEP_MS) {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`timeout waiting for C line ${re}`)), ms);
    const look = () => {
      const i = lines.findIndex((l) => re.test(l));
      if (i >= 0) {
        clearTimeout(t);
        resolve(lines.splice(i, 1)[0]);
      } else if (childExit !== null) {
        clearTimeout(t);
        reject(new Error(`C peer exited (${childExit}) waiting for ${re}`));
      } else {
        waiters.push(look);
      }
    };
    look();
  });
}
const kv = (line) => Object.fromEntries(line.split(' ').slice(1).map((f) => f.split('=')));

// ---------------------------------------------------------- helpers
function withTimeout(p, what, ms = STEP_MS) {
  return Promise.race([p, new Promise((_, r) => setTimeout(() => r(new Error(`timeout: ${what}`)), ms))]);
}
// Messages per channel, in arrival order.
const inbox = new Map();
function watch(dc) {
  dc.binaryType = 'arraybuffer';
  const q = { msgs: [], waiters: [] };
  inbox.set(dc, q);
  dc.onmessage = (e) => { q.msgs.push(e.data); const w = q.waiters; q.waiters = []; w.forEach((f) => f()); };
}
function nextMessage(dc, what, ms = STEP_MS) {
  const q = inbox.get(dc);
  return withTimeout(new Promise((resolve) => {
    const look = () => (q.msgs.length ? resolve(q.msgs.shift()) : q.waiters.push(look));
    look();
  }), what, ms);
}
function opened(dc) {
  if (dc.readyState === 'open') return Promise.resolve();
  return withTimeout(new Promise((resolve, reject) => {
    dc.onopen = () => resolve();
    dc.onerror = (e) => reject(new Error(`channel error ${e && e.error}`));
  }), `open of ${dc.label}`);
}
// The C peer's `send` pattern (peer.c pattern()).
function pattern(binary, sid, len) {
  if (binary) {
    const b = new Uint8Array(len);
    for (let i = 0; i < len; i++) b[i] = (i * 31 + sid * 7 + 1) & 0xff;
    return b;
  }
  let s = '';
  for (let i = 0; i < len; i++) s += String.fromCharCode(97 + ((i + sid) % 26));
  return s;
}
function fnv1a(bytes) {
  let h = 0x811c9dc5;
  for (const b of bytes) h = Math.imul(h ^ b, 16777619) >>> 0;
  return h.toString(16).padStart(8, '0');
}
const bytesOf = (m) => (typeof m === 'string' ? Buffer.from(m, 'utf8') : new Uint8Array(m));
function sameMessage(got, want) {
  if (typeof want === 'string') return typeof got === 'string' && got === want;
  if (typeof got === 'string') return false;
  return Buffer.compare(Buffer.from(got), Buffer.from(want)) === 0;
}

// Node -> C (echoed back): the C peer must see the same bytes (its hash)
// and the echo must come back equal.
async function cStatus() {
  cmd('status');
  return kv(await cLine(/^status /));
}
// On a partially reliable channel a message may be lost (a UDP buffer on
// loopback overflows in a burst) and then abandoned by its sender: that is
// the channel's contract, not a failure, but it must show in the counters
// (the C peer's abandoned messages, or the FORWARD-TSNs it received).
const PR_WAIT_MS = 4000;
let prLost = 0;
let prDiag = '';
async function lostOk(before, what) {
  for (let i = 0; i < 10; i++) {
    const after = await cStatus();
    if (Number(after[what]) > Number(before[what])) {
      prLost++;
      prDiag = '';
      return true;
    }
    prDiag = `${what} stayed ${after[what]}: ${JSON.stringify(after)}`;
    await new Promise((r) => setTimeout(r, 500));
  }
  return false;
}

async function roundTrip(dc, msg, pr = false) {
  prDiag = '';
  const binary = typeof msg !== 'string';
  const len = bytesOf(msg).length;
  const before = pr ? await cStatus() : null;
  dc.send(msg);
  const re = new RegExp(`^msg sid=${dc.id} kind=${binary ? 'bin' : 'str'} len=${len} `);
  let line;
  try {
    line = await cLine(re, pr ? PR_WAIT_MS : STEP_MS);
  } catch (e) {
    if (pr) return lostOk(before, 'fwd_tsn_recvd');
    throw e;
  }
  const mid = pr ? await cStatus() : null;
  let got;
  try {
    got = await nextMessage(dc, `echo of ${len} bytes on ${dc.label}`, pr ? PR_WAIT_MS : STEP_MS);
  } catch (e) {
    if (pr) return kv(line).fnv === fnv1a(bytesOf(msg)) && lostOk(mid, 'abandoned');
    throw e;
  }
  if (!sameMessage(got, msg)) prDiag = `echo: got ${describe(got)}, wanted ${describe(msg)}`;
  else if (kv(line).fnv !== fnv1a(bytesOf(msg))) prDiag = `C saw fnv ${kv(line).fnv}`;
  return kv(line).fnv === fnv1a(bytesOf(msg)) && sameMessage(got, msg);
}
// C -> Node: a pattern message.
function describe(m) {
  const b = bytesOf(m);
  return `${typeof m === 'string' ? 'string' : 'binary'} of ${b.length} B, fnv ${fnv1a(b)}`;
}
async function fromC(dc, binary, len, pr = false) {
  prDiag = '';
  const before = pr ? await cStatus() : null;
  cmd(`send ${dc.id} ${len} ${binary ? 'bin' : 'str'}`);
  try {
    const got = await nextMessage(dc, `C's ${len} bytes on ${dc.label}`, pr ? PR_WAIT_MS : STEP_MS);
    const want = pattern(binary, dc.id, len);
    if (!sameMessage(got, want)) prDiag = `got ${describe(got)}, wanted ${describe(want)}`;
    return sameMessage(got, want);
  } catch (e) {
    if (pr) return lostOk(before, 'abandoned');
    throw e;
  }
}

const SIZES = [0, 1, 2, 100, 1199, 1200, 1201, 4096, 65535, 65536, 100000, 262144];
function message(binary, len, seed) {
  if (!binary) {
    let s = '';
    for (let i = 0; i < len; i++) s += String.fromCharCode(65 + ((i * 7 + seed) % 58));
    return s;
  }
  const b = new Uint8Array(len);
  for (let i = 0; i < len; i++) b[i] = (i * 13 + seed * 5) & 0xff;
  return b;
}

// On partially reliable channels only up to 64 KiB: a 100 KiB or 256 KiB
// burst overflows a UDP buffer on loopback now and then, the message is
// abandoned, and in about one run in four the *next* message of that
// stream then never reached JavaScript although dcsctp acknowledged all
// of it with its full window (not explained, examples/webrtc/README.md).
// Abandonment itself, 256 KiB included, is tested deterministically by the
// loss cases below.
const PR_SIZES = SIZES.filter((n) => n <= 65536);
async function sizes(dc, what, pr) {
  for (const binary of [true, false]) {
    const bad = [];
    const lost0 = prLost;
    for (const len of pr ? PR_SIZES : SIZES) {
      try {
        if (!(await roundTrip(dc, message(binary, len, len % 251), pr))) bad.push(`${len} to C ${prDiag}`);
        if (!(await fromC(dc, binary, len, pr))) bad.push(`${len} from C ${prDiag}`);
      } catch (e) {
        bad.push(`${len}: ${e.message}`);
        cmd('status');
        bad.push((await cLine(/^status /)).slice(7));
        break;
      }
    }
    const lost = prLost - lost0;
    ok(bad.length === 0, `${what}: ${binary ? 'binary' : 'string'} messages of 0 B to ${pr ? '64' : '256'} KiB both ways` +
       (lost ? ` (${lost} lost in a burst, abandoned by the sender as the channel allows)` : ''), bad.join(', '));
  }
}

// The DCEP channel type the C peer must report for Node's options.
function dcepType(o) {
  let t = o.ordered === false ? 0x80 : 0;
  if (o.maxRetransmits !== undefined) return { type: t | 1, rel: o.maxRetransmits };
  if (o.maxPacketLifeTime !== undefined) return { type: t | 2, rel: o.maxPacketLifeTime };
  return { type: t, rel: 0 };
}
const isPr = (o) => o.maxRetransmits !== undefined || o.maxPacketLifeTime !== undefined;
const KINDS = [
  ['reliable ordered', {}],
  ['unordered', { ordered: false }],
  ['maxRetransmits=0', { maxRetransmits: 0 }],
  ['maxPacketLifeTime=3000', { maxPacketLifeTime: 3000 }],
  ['unordered maxRetransmits=0', { ordered: false, maxRetransmits: 0 }],
];
// DTLS client: even ids, server: odd (RFC 8832 6).
const nodeParity = cIsClient ? 1 : 0;
const cParity = cIsClient ? 0 : 1;

// -------------------------------------------------------------- the run
async function main() {
  const pc = new wrtc.RTCPeerConnection({ iceServers: [] });
  const fromCQueue = [];
  let fromCWaiter = null;
  pc.ondatachannel = (e) => { watch(e.channel); fromCQueue.push(e.channel); if (fromCWaiter) fromCWaiter(); };
  const nextRemoteChannel = (label) => withTimeout(new Promise((resolve) => {
    const look = () => {
      const i = fromCQueue.findIndex((c) => c.label === label);
      if (i >= 0) resolve(fromCQueue.splice(i, 1)[0]);
      else fromCWaiter = look;
    };
    look();
  }), `C's channel ${label}`);

  const boot = pc.createDataChannel('boot');
  watch(boot);
  await pc.setLocalDescription(await pc.createOffer());
  await withTimeout(new Promise((resolve) => {
    if (pc.iceGatheringState === 'complete') resolve();
    pc.onicegatheringstatechange = () => pc.iceGatheringState === 'complete' && resolve();
  }), 'ICE gathering');
  child.stdin.write(pc.localDescription.sdp.replace(/\r?\n$/, '') + '\r\n.\n');
  const answer = [];
  for (;;) {
    const l = await cLine(/.*/);
    if (l === '.') break;
    answer.push(l);
  }
  await pc.setRemoteDescription({ type: 'answer', sdp: answer.join('\r\n') + '\r\n' });

  // --- connect and one message
  try {
    await opened(boot);
    const dtls = await cLine(/^dtls connected/);
    await cLine(/^ready /);
    const ch = kv(await cLine(/^channel sid=/));
    ok(ch.label === 'boot' && ch.type === '0x00' && Number(ch.sid) === boot.id,
       'ICE-lite + DTLS + SCTP + DCEP: libwebrtc opens a channel, the C peer sees its OPEN', JSON.stringify(ch));
    ok(dtls.includes(`role=${cIsClient ? 'client' : 'server'}`), 'DTLS role as the SDP answer says', dtls);
    ok(boot.id % 2 === nodeParity, `stream id of libwebrtc's channel (${boot.id}) has the DTLS role's parity`);
    ok(await roundTrip(boot, 'hello'), 'one message each way (echo)');
  } catch (e) {
    ok(false, 'connect', e.stack);
    throw e;
  }

  // --- negotiation (printed, and checked against what was on the wire)
  cmd('status');
  const st = kv(await cLine(/^status /));
  note(`I-DATA negotiated with libwebrtc: ${st.idata === '1' ? 'yes' : 'no'} (peer offered it: ${st.peer_offered_idata === '1' ? 'yes' : 'no'})`);
  note(`RFC 9653 zero checksum negotiated: ${st.zero_checksum === '1' ? 'yes' : 'no'} (peer offered it: ${st.peer_offered_zero_checksum === '1' ? `yes, EDMID ${st.peer_edmid}` : 'no'}; our packets with checksum 0: ${st.zero_checksum_sent}, peer's: ${st.zero_checksum_recvd})`);
  note(`RE-CONFIG offered by the peer: ${st.peer_offered_reconfig === '1' ? 'yes' : 'no'}`);
  ok(st.idata === st.peer_offered_idata, 'I-DATA in use exactly when the peer offered it (we do)', JSON.stringify(st));
  const zcPeer = st.peer_offered_zero_checksum === '1' && st.peer_edmid === '1';
  const [zs, zt] = st.zero_checksum_sent.split('/').map(Number);
  ok(zcPeer ? zs === zt && zt > 0 : zs === 0, 'zero checksum sent exactly when the peer accepts DTLS EDMID', JSON.stringify(st));

  // --- channels libwebrtc opens, one of each kind
  for (const [what, opts] of KINDS) {
    const dc = pc.createDataChannel(`n-${what}`, opts);
    watch(dc);
    try {
      await opened(dc);
      const ch = kv(await cLine(new RegExp(`^channel sid=${dc.id} `)));
      const want = dcepType(opts);
      ok(Number(ch.type) === want.type && Number(ch.rel) === want.rel,
         `libwebrtc's ${what} channel: DCEP type 0x${want.type.toString(16)} reliability ${want.rel}`, JSON.stringify(ch));
      await sizes(dc, `libwebrtc's ${what} channel`, isPr(opts));
    } catch (e) {
      ok(false, `libwebrtc's ${what} channel`, e.stack);
    }
  }

  // --- channels the C peer opens
  for (const [what, opts] of KINDS) {
    const label = `c-${what.replace(/[ =]/g, '_')}`;
    const rtx = opts.maxRetransmits ?? -1, life = opts.maxPacketLifeTime ?? -1;
    cmd(`open ${label} ${opts.ordered === false ? 0 : 1} ${rtx} ${life} proto-${rtx}`);
    try {
      const sid = Number(kv(await cLine(new RegExp(`^opened sid=\\d+ label=${label}$`))).sid);
      const dc = await nextRemoteChannel(label);
      await opened(dc);
      await cLine(new RegExp(`^acked sid=${sid}$`));
      // @roamhq/wrtc shows "not set" as null or as 65535.
      const unset = (v) => (v === null || v === undefined || v === 65535 ? undefined : v);
      const good = dc.id === sid && sid % 2 === cParity && dc.ordered === (opts.ordered !== false) &&
        unset(dc.maxRetransmits) === opts.maxRetransmits &&
        unset(dc.maxPacketLifeTime) === opts.maxPacketLifeTime && dc.protocol === `proto-${rtx}`;
      ok(good, `C's ${what} channel: libwebrtc sees id ${sid}, its options and protocol, and ACKs`,
         JSON.stringify({ id: dc.id, ordered: dc.ordered, maxRetransmits: dc.maxRetransmits,
                          maxPacketLifeTime: dc.maxPacketLifeTime, protocol: dc.protocol }));
      await sizes(dc, `C's ${what} channel`, isPr(opts));
    } catch (e) {
      ok(false, `C's ${what} channel`, e.stack);
    }
  }

  // --- losses: the C peer drops its own next packet with DATA, as a lossy
  // network would. Reliable channels retransmit; partially reliable ones
  // abandon the message, and libwebrtc must still deliver what follows
  // (FORWARD-TSN with the skipped SSN, RFC 3758).
  // (A short maxPacketLifeTime is no case here: on loopback the fast
  // retransmission comes well within a millisecond.)
  const LOSS = [
    ['reliable ordered', {}, true, 5000],
    ['maxPacketLifeTime=3000', { maxPacketLifeTime: 3000 }, true, 5000],
    ['maxRetransmits=0', { maxRetransmits: 0 }, false, 5000],
    ['unordered maxRetransmits=0', { ordered: false, maxRetransmits: 0 }, false, 5000],
    ['maxRetransmits=0, 256 KiB', { maxRetransmits: 0 }, false, 262144],
    ['unordered maxRetransmits=0, 256 KiB', { ordered: false, maxRetransmits: 0 }, false, 262144],
    // Packets 83-85 of a 100 KiB message's 86 lost (the 86th, its end,
    // shares a packet with the 10-byte message and arrives), as in the
    // burst losses the size sweep once saw.
    ['maxRetransmits=0, 100 KiB, 3 near its end lost', { maxRetransmits: 0 }, false, 100000, 3, 82],
    ['unordered maxRetransmits=0, 100 KiB, 3 near its end lost', { ordered: false, maxRetransmits: 0 }, false, 100000, 3, 82],
  ];
  for (const [what, opts, arrives, big, drops = 1, skip = 0] of LOSS) {
    try {
      const dc = pc.createDataChannel(`loss-${what.replace(/[ =,]/g, '_')}`, opts);
      watch(dc);
      await opened(dc);
      await cLine(new RegExp(`^channel sid=${dc.id} `));
      const before = await cStatus();
      cmd(`drop ${drops} after ${skip}`);
      await cLine(new RegExp(`^drop ${drops} after ${skip}$`));
      cmd(`send ${dc.id} ${big} bin`);
      cmd(`send ${dc.id} 10 bin`);
      const first = await nextMessage(dc, `first message after the loss on ${dc.label}`, 15000);
      const second = arrives ? await nextMessage(dc, `second message on ${dc.label}`, 15000) : null;
      await new Promise((r) => setTimeout(r, 300));
      const after = await cStatus();
      const extra = inbox.get(dc).msgs.length;
      const d = (k) => Number(after[k]) - Number(before[k]);
      const good = arrives
        ? sameMessage(first, pattern(true, dc.id, big)) && sameMessage(second, pattern(true, dc.id, 10)) &&
          d('retransmits') > 0 && d('dropped') === drops
        : sameMessage(first, pattern(true, dc.id, 10)) && extra === 0 && d('abandoned') >= 1 &&
          d('fwd_tsn_sent') > 0 && d('dropped') === drops;
      ok(good, `loss on the ${what} channel: ${arrives ? 'retransmitted, both messages arrive in order'
                : 'message abandoned (FORWARD-TSN), libwebrtc delivers the next one'}`,
         JSON.stringify({ first: bytesOf(first).length, extra, retransmits: d('retransmits'),
                          abandoned: d('abandoned'), fwd_tsn_sent: d('fwd_tsn_sent'), dropped: d('dropped') }));
    } catch (e) {
      ok(false, `loss on the ${what} channel`, e.stack);
    }
  }

  // --- many channels at once, both sides
  const MANY = 50;
  try {
    const many = [];
    for (let i = 0; i < MANY; i++) {
      const dc = pc.createDataChannel(`many-${i}`, i % 2 ? { ordered: false } : {});
      watch(dc);
      many.push(dc);
    }
    await Promise.all(many.map(opened));
    many.forEach((dc, i) => dc.send(message(true, 100 + i, i)));
    const echoes = await Promise.all(many.map((dc) => nextMessage(dc, `echo on ${dc.label}`)));
    const good = echoes.every((m, i) => sameMessage(m, message(true, 100 + i, i)));
    ok(good && new Set(many.map((d) => d.id)).size === MANY, `${MANY} channels opened by libwebrtc at once, a message on each`);
    for (let i = 0; i < MANY; i++) await cLine(new RegExp(`^channel sid=${many[i].id} `));
  } catch (e) {
    ok(false, `${MANY} channels opened by libwebrtc`, e.stack);
  }
  try {
    for (let i = 0; i < MANY; i++) cmd(`open cmany-${i} 1 -1 -1`);
    const sids = [];
    for (let i = 0; i < MANY; i++) sids.push(Number(kv(await cLine(new RegExp(`^opened sid=\\d+ label=cmany-${i}$`))).sid));
    const chans = [];
    for (let i = 0; i < MANY; i++) chans.push(await nextRemoteChannel(`cmany-${i}`));
    await Promise.all(chans.map(opened));
    chans.forEach((dc) => cmd(`send ${dc.id} ${dc.id} bin`));
    const got = await Promise.all(chans.map((dc) => nextMessage(dc, `C's message on ${dc.label}`)));
    const good = got.every((m, i) => sameMessage(m, pattern(true, chans[i].id, chans[i].id))) &&
      chans.every((dc, i) => dc.id === sids[i] && dc.id % 2 === cParity);
    ok(good, `${MANY} channels opened by the C peer at once, a message on each`);
  } catch (e) {
    ok(false, `${MANY} channels opened by the C peer`, e.stack);
  }

  // --- bulk: 10 MiB each way on a reliable channel, timed (echo off)
  try {
    const N = 40, LEN = 262144;
    const dc = pc.createDataChannel('bulk');
    watch(dc);
    await opened(dc);
    await cLine(new RegExp(`^channel sid=${dc.id} `));
    cmd('echo 0');
    await cLine(/^echo 0$/);
    const msg = message(true, LEN, 7);
    const want = fnv1a(msg);
    let t0 = process.hrtime.bigint();
    for (let i = 0; i < N; i++) dc.send(msg);
    let good = 0;
    for (let i = 0; i < N; i++) {
      const l = kv(await cLine(new RegExp(`^msg sid=${dc.id} kind=bin len=${LEN} `), 60000));
      if (l.fnv === want) good++;
    }
    const up = Number(process.hrtime.bigint() - t0) / 1e9;
    t0 = process.hrtime.bigint();
    for (let i = 0; i < N; i++) cmd(`send ${dc.id} ${LEN} bin`);
    const pat = pattern(true, dc.id, LEN);
    for (let i = 0; i < N; i++) if (sameMessage(await nextMessage(dc, `bulk ${i}`, 60000), pat)) good++;
    const down = Number(process.hrtime.bigint() - t0) / 1e9;
    cmd('echo 1');
    await cLine(/^echo 1$/);
    const mb = (N * LEN) / 1e6;
    note(`bulk, ${N} x 256 KiB: libwebrtc -> C ${(mb / up).toFixed(1)} MB/s, C -> libwebrtc ${(mb / down).toFixed(1)} MB/s`);
    ok(good === 2 * N, `bulk: ${N} messages of 256 KiB each way arrive intact`, `${good} of ${2 * N}`);
  } catch (e) {
    ok(false, 'bulk transfer', e.stack);
  }

  // --- closing (RFC 8831 6.7: a channel closes by resetting its streams)
  const closedOn = (dc, ms) => new Promise((resolve) => {
    if (dc.readyState === 'closed') return resolve(true);
    const t = setTimeout(() => resolve(false), ms);
    dc.addEventListener('close', () => { clearTimeout(t); resolve(true); });
  });
  try {
    const dc = pc.createDataChannel('closed-by-c');
    watch(dc);
    await opened(dc);
    await cLine(new RegExp(`^channel sid=${dc.id} `));
    cmd(`close ${dc.id}`);
    await cLine(new RegExp(`^closing sid=${dc.id}$`));
    const shut = await closedOn(dc, 10000);
    await cLine(new RegExp(`^closed sid=${dc.id}$`), 10000);
    ok(shut && dc.readyState === 'closed' && (await roundTrip(boot, 'after C close')),
       'C peer closes a channel (outgoing SSN reset): libwebrtc closes it, both ends free the id',
       `readyState ${dc.readyState}`);
  } catch (e) {
    ok(false, 'C peer closes a channel', e.stack);
  }
  try {
    const dc = pc.createDataChannel('closed-by-libwebrtc');
    watch(dc);
    await opened(dc);
    await cLine(new RegExp(`^channel sid=${dc.id} `));
    dc.close();
    await cLine(new RegExp(`^closed sid=${dc.id}$`), 10000);
    const shut = await closedOn(dc, 10000);
    ok(shut && childExit === null && (await roundTrip(boot, 'after libwebrtc close')),
       'libwebrtc closes a channel: the C peer resets its stream in answer, the association carries on',
       `readyState ${dc.readyState}`);
  } catch (e) {
    ok(false, 'libwebrtc closes a channel', e.stack);
  }

  cmd('status');
  const st2 = kv(await cLine(/^status /));
  note(`end: retransmits=${st2.retransmits} abandoned=${st2.abandoned} unordered_sent=${st2.unordered_sent}`);
  ok(Number(st2.unordered_sent) > 0, 'the C peer sent unordered chunks on the unordered channels');
  pc.close();
}

main()
  .catch((e) => { ok(false, 'run', e.stack); })
  .finally(async () => {
    cmd('quit');
    const t0 = Date.now();
    while (childExit === null && Date.now() - t0 < 5000) await new Promise((r) => setTimeout(r, 50));
    // A sanitizer build makes a leak or error a non-zero status here.
    ok(childExit === 0, 'the C peer ends cleanly (exit status 0)', `status ${childExit}`);
    console.log(`1..${n}`);
    if (childExit === null) child.kill();
    process.exit(failed ? 1 : 0);
  });
