//! The event log. Events are kept compactly and materialized as `v1.Event` objects only when
//! someone lists them; repeats of the same (object, reason, message) are aggregated into one
//! event with a count, as the client-go event correlator does.

use crate::key::{Key, Name};
use crate::time::{k8s_time, Millis};
use crate::World;
use kubeplay_api::k8s_openapi::api::core::v1::{Event, EventSource, ObjectReference};
use kubeplay_api::k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use kubeplay_api::Kind;
use std::collections::hash_map::Entry;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::num::NonZeroU32;
use std::rc::Rc;

/// What a controller or the kubelet reports.
pub struct NewEvent<'a> {
    pub kind: Kind,
    pub object: &'a ObjectMeta,
    pub field_path: Option<String>,
    pub warning: bool,
    pub reason: &'static str,
    pub message: String,
    /// `deployment-controller`, `kubelet`, `default-scheduler`...
    pub component: &'static str,
    pub host: Option<&'a str>,
}

/// One aggregated event. Its strings are the log's shared copies (see `EventLog::strings`).
#[derive(Clone, Debug)]
pub struct EventRecord {
    pub seq: u64,
    pub kind: Kind,
    pub namespace: Name,
    pub name: Name,
    pub uid: Rc<str>,
    pub field_path: Option<Rc<str>>,
    pub warning: bool,
    /// The aggregator's combined event (its message changes with each it counts).
    pub combined: bool,
    pub reason: &'static str,
    pub message: Rc<str>,
    pub component: &'static str,
    pub host: Option<Rc<str>>,
    pub first: Millis,
    pub last: Millis,
    pub count: u32,
    /// Repeats the spam filter did not let through since the last that it did: client-go
    /// counts them all the same, and the next it sends carries the whole count.
    unsent: u32,
}

#[derive(Clone, Debug, Default)]
pub struct EventLog {
    records: Chunks,
    /// (uid, reason, message) -> the record that aggregates them, keyed by a hash of the
    /// three (a clash moves on to the next hash value), so that recording an event copies no
    /// strings to find its record. Only looked up, never iterated.
    index: HashMap<u64, usize, BuildHasherDefault<IdHasher>>,
    /// One copy of each string the records hold (uids, messages, field paths, hosts): a pod's
    /// events share its uid, and most messages (`Container created`, `Stopping container
    /// nginx`...) repeat for every pod. Keyed by [`str_hash`] as the index is (the uid's and
    /// message's hashes serve both). Only looked up; strings no record holds any more go when
    /// expired records do.
    strings: Strings,
    /// The uid, field path and host of the last record added: events come in runs about one
    /// object from one place (a container's Pulling, Pulled, Created, Started), and a string
    /// equal to its role's last one is shared without hashing it or looking it up.
    recent: [Option<Rc<str>>; 3],
    correlator: Correlator,
}

type Strings = HashMap<u64, Rc<str>, BuildHasherDefault<IdHasher>>;

/// The log's copy of `s` (whose [`str_hash`] is `h`). A clash moves on to the next hash value;
/// should pruning cut such a chain, the string is stored again: only sharing is lost.
fn shared(strings: &mut Strings, mut h: u64, s: &str) -> Rc<str> {
    loop {
        match strings.entry(h) {
            Entry::Vacant(v) => return v.insert(s.into()).clone(),
            Entry::Occupied(o) if **o.get() == *s => return o.get().clone(),
            Entry::Occupied(_) => h = h.wrapping_add(1),
        }
    }
}

/// [`shared`], through the last string of its role (`recent`, see `EventLog::recent`); `h`
/// gives `s`'s [`str_hash`] when it is needed.
fn shared_recent(
    strings: &mut Strings,
    recent: &mut Option<Rc<str>>,
    s: &str,
    h: impl FnOnce() -> u64,
) -> Rc<str> {
    if let Some(r) = recent.as_ref().filter(|r| ***r == *s) {
        return r.clone();
    }
    let r = shared(strings, h(), s);
    *recent = Some(r.clone());
    r
}

/// Records in chunks of [`CHUNK`]: adding one never moves those there are (one vector would be
/// copied whole each time it doubled, tens of megabytes in a rollout of 10,000 pods). Every
/// chunk but the last is full; the first grows as a vector does, so a short log stays small.
#[derive(Clone, Debug, Default)]
struct Chunks(Vec<Vec<EventRecord>>);

const CHUNK: usize = 4096;

impl Chunks {
    fn len(&self) -> usize {
        match self.0.last() {
            Some(last) => (self.0.len() - 1) * CHUNK + last.len(),
            None => 0,
        }
    }
    fn get(&self, i: usize) -> &EventRecord {
        &self.0[i / CHUNK][i % CHUNK]
    }
    fn get_mut(&mut self, i: usize) -> &mut EventRecord {
        &mut self.0[i / CHUNK][i % CHUNK]
    }
    fn first(&self) -> Option<&EventRecord> {
        self.0.first()?.first()
    }
    fn push(&mut self, r: EventRecord) {
        match self.0.last_mut() {
            Some(last) if last.len() < CHUNK => last.push(r),
            Some(_) => {
                let mut chunk = Vec::with_capacity(CHUNK);
                chunk.push(r);
                self.0.push(chunk);
            }
            None => self.0.push(vec![r]),
        }
    }
    fn retain(&mut self, mut keep: impl FnMut(&EventRecord) -> bool) {
        for r in std::mem::take(&mut self.0).into_iter().flatten() {
            if keep(&r) {
                self.push(r);
            }
        }
    }
}

/// The records of the log, oldest first.
#[derive(Clone, Copy)]
pub struct Records<'a>(&'a [Vec<EventRecord>]);

impl<'a> Records<'a> {
    pub fn iter(&self) -> std::iter::Flatten<std::slice::Iter<'a, Vec<EventRecord>>> {
        self.0.iter().flatten()
    }
    pub fn len(&self) -> usize {
        self.0.iter().map(Vec::len).sum()
    }
    pub fn is_empty(&self) -> bool {
        self.0.iter().all(Vec::is_empty)
    }
}

impl<'a> IntoIterator for Records<'a> {
    type Item = &'a EventRecord;
    type IntoIter = std::iter::Flatten<std::slice::Iter<'a, Vec<EventRecord>>>;
    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

/// As a slice of the records prints.
impl std::fmt::Debug for Records<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

/// The index's keys are hashes already.
#[derive(Default)]
struct IdHasher(u64);

impl Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 ^ *b as u64).wrapping_mul(0x100_0000_01b3);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// A string's hash (FxHash, a word at a time; a separator after it).
fn str_hash(s: &str) -> u64 {
    let mut h = crate::table::FxHasher::default();
    h.write(s.as_bytes());
    h.write_u8(0xff);
    h.finish()
}

/// The aggregation key's hash, from the [`str_hash`]es of uid and message.
fn agg_hash(uid: u64, reason: &str, message: u64) -> u64 {
    let mut h = crate::table::FxHasher::default();
    h.write_u64(uid);
    h.write(reason.as_bytes());
    h.write_u8(0xff);
    h.write_u64(message);
    h.finish()
}

impl EventLog {
    /// The record for (uid, reason, message), or the free slot of the index for it (`hu` and
    /// `hm`: the [`str_hash`]es of uid and message).
    fn find(
        &self,
        (uid, hu): (&str, u64),
        reason: &str,
        (message, hm): (&str, u64),
    ) -> Result<usize, u64> {
        let mut h = agg_hash(hu, reason, hm);
        loop {
            match self.index.get(&h) {
                None => return Err(h),
                Some(&i) => {
                    let r = self.records.get(i);
                    if *r.uid == *uid && r.reason == reason && *r.message == *message {
                        return Ok(i);
                    }
                }
            }
            h = h.wrapping_add(1);
        }
    }

    fn reindex(&mut self) {
        self.index.clear();
        for g in self.correlator.groups.values_mut() {
            g.combined = None;
        }
        for i in 0..self.records.len() {
            let r = self.records.get(i);
            if r.combined {
                let source =
                    source_hash(r.component, r.host.as_deref(), str_hash(&r.uid), r.warning);
                if let Some(g) = self
                    .correlator
                    .groups
                    .get_mut(&group_hash(source, r.reason))
                {
                    g.set_combined(i);
                }
                continue;
            }
            let uid = (&*r.uid, str_hash(&r.uid));
            let message = (&*r.message, str_hash(&r.message));
            if let Err(h) = self.find(uid, r.reason, message) {
                self.index.insert(h, i);
            }
        }
    }
}

/// Events older than this are dropped, as the API server's event TTL does.
pub const EVENT_TTL: Millis = 60 * 60 * 1000;

pub(crate) fn record(w: &mut World, e: NewEvent<'_>) {
    let now = w.now();
    let uid = e.object.uid.as_deref().unwrap_or_default();
    let log = &mut w.events;
    let (hu, hm) = (str_hash(uid), str_hash(&e.message));
    let mut found = log.find((uid, hu), e.reason, (&e.message, hm));
    if found.is_err() && log.records.len() > 50_000 && log.records.get(0).last + EVENT_TTL < now {
        log.records.retain(|r| r.last + EVENT_TTL >= now);
        log.recent = Default::default();
        log.strings.retain(|_, s| Rc::strong_count(s) > 1);
        log.reindex();
        log.correlator.prune(now);
        found = log.find((uid, hu), e.reason, (&e.message, hm));
    }
    if e.component == "default-scheduler" {
        // The scheduler records through events.k8s.io/v1, which has no correlator: only its
        // repeats are counted.
        match found {
            Ok(i) => log.records.get_mut(i).observe(now, None),
            Err(slot) => {
                log.push(&e, &e.message, (uid, hu), hm, Some(slot), now);
            }
        }
        return;
    }
    // client-go's EventCorrelator, in its order: the aggregator, the logger (repeats), then
    // the spam filter, which drops what it refuses after the other two have counted it.
    let source = source_hash(e.component, e.host, hu, e.warning);
    let in_group = |r: &EventRecord, since: Millis| r.last >= since && !r.combined;
    let group_key = group_hash(source, e.reason);
    let group = log.correlator.groups.entry(group_key).or_default();
    if group.distinct == 0 || now - group.last > AGGREGATE_INTERVAL {
        *group = Group {
            combined: group.combined,
            since: now,
            ..Group::default()
        };
    }
    group.last = now;
    let repeat = matches!(found, Ok(i) if in_group(log.records.get(i), group.since));
    let combine = !repeat && group.distinct == AGGREGATE_MAX_EVENTS - 1;
    if !repeat && !combine {
        group.distinct += 1;
    }
    let target = if combine {
        group.combined()
    } else {
        found.ok()
    };
    if !log.correlator.accept(source, now) {
        if let Some(i) = target {
            log.records.get_mut(i).unsent += 1;
        }
        return;
    }
    if !combine {
        match found {
            Ok(i) => log.records.get_mut(i).observe(now, None),
            Err(slot) => {
                log.push(&e, &e.message, (uid, hu), hm, Some(slot), now);
            }
        }
        return;
    }
    let message = format!("(combined from similar events): {}", e.message);
    let hm = str_hash(&message);
    match target {
        Some(i) => {
            let message = shared(&mut log.strings, hm, &message);
            log.records.get_mut(i).observe(now, Some(message));
        }
        None => {
            let i = log.push(&e, &message, (uid, hu), hm, None, now);
            if let Some(g) = log.correlator.groups.get_mut(&group_key) {
                g.set_combined(i);
            }
        }
    }
}

impl EventRecord {
    /// One more of this event sent, with what the spam filter held back since the last; a
    /// combined event takes the latest message.
    fn observe(&mut self, now: Millis, message: Option<Rc<str>>) {
        self.count += 1 + std::mem::take(&mut self.unsent);
        self.last = now;
        if let Some(m) = message {
            self.message = m;
        }
    }
}

impl EventLog {
    /// A new record, its index. Found by (uid, reason, message) through the index's free
    /// `slot`; without one, it is a combined record, found through its group.
    fn push(
        &mut self,
        e: &NewEvent<'_>,
        message: &str,
        (uid, hu): (&str, u64),
        hm: u64,
        slot: Option<u64>,
        now: Millis,
    ) -> usize {
        let seq = self.records.len() as u64 + self.records.first().map_or(0, |r| r.seq);
        let i = self.records.len();
        if let Some(slot) = slot {
            self.index.insert(slot, i);
        }
        let strings = &mut self.strings;
        let [recent_uid, recent_path, recent_host] = &mut self.recent;
        self.records.push(EventRecord {
            seq,
            kind: e.kind,
            namespace: Name::new(e.object.namespace.as_deref().unwrap_or("default")),
            name: Name::new(e.object.name.as_deref().unwrap_or_default()),
            uid: shared_recent(strings, recent_uid, uid, || hu),
            field_path: e
                .field_path
                .as_deref()
                .map(|f| shared_recent(strings, recent_path, f, || str_hash(f))),
            warning: e.warning,
            combined: slot.is_none(),
            reason: e.reason,
            message: shared(strings, hm, message),
            component: e.component,
            host: e
                .host
                .map(|h| shared_recent(strings, recent_host, h, || str_hash(h))),
            first: now,
            last: now,
            count: 1,
            unsent: 0,
        });
        i
    }
}

/// client-go's aggregator: more than this many different messages of one reason about one
/// object from one source, within [`AGGREGATE_INTERVAL`] of each other, and the rest go into
/// one event, `(combined from similar events): <the latest message>`, counted.
const AGGREGATE_MAX_EVENTS: u8 = 10;
const AGGREGATE_INTERVAL: Millis = 600 * 1000;
/// client-go's spam filter: a token bucket per source and object (and event type, not reason),
/// holding 25 and refilled with one every 5 minutes. An event it refuses is not sent.
const SPAM_BURST: u64 = 25;
const SPAM_REFILL: Millis = 300 * 1000;

/// The state of client-go's `EventCorrelator` that decides which events are sent, as each
/// component (the kubelet of each node, each controller) keeps it: its keys name the source.
/// Keyed by 64-bit hashes of those keys: a clash, unlikely among the objects of a session,
/// would only make two objects share their budgets.
#[derive(Clone, Debug, Default)]
struct Correlator {
    /// (source, object, type, reason) -> the aggregator's record.
    groups: HashMap<u64, Group, BuildHasherDefault<IdHasher>>,
    /// (source, object, type) -> the spam filter's bucket: its tokens, in milliseconds of
    /// refill (`SPAM_REFILL` to a token), as of the time with them.
    buckets: HashMap<u64, (Millis, Millis), BuildHasherDefault<IdHasher>>,
}

#[derive(Clone, Copy, Debug, Default)]
struct Group {
    /// The different messages seen since `since` (the aggregator's local keys; `since` is when
    /// the group last started afresh): those with a record not combined, updated since then.
    /// When one more would make ten, client-go removes one of the ten at random; kubeplay
    /// always removes that newest one, so the first nine stay theirs.
    distinct: u8,
    since: Millis,
    last: Millis,
    /// The record of the combined event, once there is one: its index plus one, in 32 bits
    /// ([`Group::combined`]). A group is then 24 bytes and an entry of the groups table 32,
    /// two to a cache line, where they were 48 (a rollout of 10,000 pods adds 50,000 groups,
    /// one for each pod and reason, and looks each up at random). A log holds far fewer than
    /// four billion records.
    combined: Option<NonZeroU32>,
}

impl Group {
    fn combined(&self) -> Option<usize> {
        self.combined.map(|n| n.get() as usize - 1)
    }
    fn set_combined(&mut self, i: usize) {
        self.combined = u32::try_from(i + 1).ok().and_then(NonZeroU32::new);
    }
}

impl Correlator {
    /// The spam filter: whether the source still has a token for the object, taking it.
    fn accept(&mut self, source: u64, now: Millis) -> bool {
        const FULL: Millis = SPAM_BURST * SPAM_REFILL;
        let (tokens, at) = self.buckets.entry(source).or_insert((FULL, now));
        *tokens = (*tokens + (now - *at)).min(FULL);
        *at = now;
        if *tokens < SPAM_REFILL {
            return false;
        }
        *tokens -= SPAM_REFILL;
        true
    }

    /// Forgets what would start afresh anyway: full buckets, and groups past their interval
    /// whose combined record is gone.
    fn prune(&mut self, now: Millis) {
        let full = SPAM_BURST * SPAM_REFILL;
        self.buckets
            .retain(|_, (tokens, at)| *tokens + (now - *at) < full);
        self.groups
            .retain(|_, g| g.combined.is_some() || now - g.last <= AGGREGATE_INTERVAL);
    }
}

/// The spam filter's key (source, object, type), from the uid's [`str_hash`].
fn source_hash(component: &str, host: Option<&str>, uid: u64, warning: bool) -> u64 {
    let mut h = crate::table::FxHasher::default();
    h.write(component.as_bytes());
    h.write_u8(0xff);
    h.write(host.unwrap_or_default().as_bytes());
    h.write_u8(0xff);
    h.write_u64(uid);
    h.write_u8(warning as u8);
    h.finish()
}

/// The aggregator's key: the spam filter's and the reason.
fn group_hash(source: u64, reason: &str) -> u64 {
    let mut h = crate::table::FxHasher::default();
    h.write_u64(source);
    h.write(reason.as_bytes());
    h.finish()
}

impl EventLog {
    pub fn records(&self) -> Records<'_> {
        Records(&self.records.0)
    }
}

impl EventRecord {
    /// The `v1.Event` the API server would hold.
    pub fn to_event(&self) -> Event {
        let info = kubeplay_api::registry::info(self.kind);
        let nanos = (crate::time::EPOCH_SECONDS as u128 * 1000 + self.first as u128) * 1_000_000
            + self.seq as u128;
        Event {
            metadata: ObjectMeta {
                name: Some(format!("{}.{:x}", self.name, nanos)),
                namespace: Some(self.namespace.to_string()),
                creation_timestamp: Some(k8s_time(self.first)),
                resource_version: Some(self.seq.to_string()),
                ..Default::default()
            },
            involved_object: ObjectReference {
                api_version: Some(info.api_version()),
                kind: Some(self.kind.as_str().into()),
                name: Some(self.name.to_string()),
                namespace: Some(self.namespace.to_string()),
                uid: Some(self.uid.to_string()),
                field_path: self.field_path.as_deref().map(Into::into),
                ..Default::default()
            },
            reason: Some(self.reason.into()),
            message: Some(self.message.to_string()),
            type_: Some(if self.warning { "Warning" } else { "Normal" }.into()),
            source: Some(EventSource {
                component: Some(self.component.into()),
                host: self.host.as_deref().map(Into::into),
            }),
            first_timestamp: Some(k8s_time(self.first)),
            last_timestamp: Some(k8s_time(self.last)),
            count: Some(self.count as i32),
            reporting_component: Some(self.component.into()),
            reporting_instance: Some(self.host.as_deref().unwrap_or_default().into()),
            ..Default::default()
        }
    }

    pub fn key(&self) -> Key {
        crate::key::key(&self.namespace, &self.name)
    }
}

impl World {
    /// All events, oldest first.
    pub fn events(&self) -> Records<'_> {
        self.events.records()
    }

    /// Events about one object (by uid), oldest first.
    pub fn events_for(&self, uid: &str) -> Vec<&EventRecord> {
        self.events
            .records()
            .iter()
            .filter(|r| *r.uid == *uid)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kubeplay_api::k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

    fn ev(w: &mut World, uid: &str, message: &str) {
        ev_reason(w, uid, "Started", message);
    }

    fn ev_reason(w: &mut World, uid: &str, reason: &'static str, message: &str) {
        ev_from(w, "kubelet", uid, reason, message);
    }

    fn ev_from(
        w: &mut World,
        component: &'static str,
        uid: &str,
        reason: &'static str,
        message: &str,
    ) {
        let meta = ObjectMeta {
            name: Some(format!("p-{uid}")),
            namespace: Some("default".into()),
            uid: Some(uid.into()),
            ..Default::default()
        };
        record(
            w,
            NewEvent {
                kind: Kind::Pod,
                object: &meta,
                field_path: Some("spec.containers{c}".into()),
                warning: false,
                reason,
                message: message.into(),
                component,
                host: Some("node01"),
            },
        );
    }

    /// Many records span chunks; repeats aggregate into their record wherever it is; expired
    /// records go once the log is long, and the rest keep their order, numbers and strings.
    #[test]
    fn chunks_aggregate_and_expire() {
        let mut w = World::new(1);
        let n = 3 * CHUNK + 5;
        for i in 0..n {
            ev(&mut w, &format!("u{i}"), "Container started");
        }
        ev(&mut w, &format!("u{}", CHUNK + 7), "Container started");
        let recs: Vec<&EventRecord> = w.events().iter().collect();
        assert_eq!((recs.len(), w.events().len()), (n, n));
        assert!(recs.iter().enumerate().all(|(i, r)| r.seq == i as u64));
        assert_eq!(recs[CHUNK + 7].count, 2);
        assert_eq!(recs.iter().map(|r| r.count).sum::<u32>(), n as u32 + 1);
        // One copy of the message for all of them.
        assert!(Rc::ptr_eq(&recs[0].message, &recs[n - 1].message));
        // Past the TTL, with more than 50,000 records, a new event drops the expired ones.
        let mut w = World::new(1);
        for i in 0..50_001 {
            ev(&mut w, &format!("old{i}"), "Container started");
        }
        w.run_until(EVENT_TTL / 2);
        ev(&mut w, "mid", "Container started");
        w.run_until(EVENT_TTL + 1000);
        ev(&mut w, "new", "Container created");
        let recs: Vec<&EventRecord> = w.events().iter().collect();
        assert_eq!(recs.len(), 2);
        assert_eq!((&*recs[0].uid, recs[0].seq), ("mid", 50_001));
        assert_eq!((&*recs[1].uid, recs[1].seq), ("new", 50_002));
        // Aggregation still finds the survivors.
        ev(&mut w, "mid", "Container started");
        assert_eq!(w.events().iter().next().map(|r| r.count), Some(2));
        assert_eq!(w.events.strings.len(), 6);
    }

    fn counted(w: &World) -> Vec<(u32, String)> {
        w.events()
            .iter()
            .map(|r| (r.count, r.message.to_string()))
            .collect()
    }

    /// ReplicaSet `rs` created the pods `p{n}` for each `n` of `pods`, an event each.
    fn creates(w: &mut World, pods: std::ops::Range<u32>) {
        for i in pods {
            ev_reason(w, "rs", "SuccessfulCreate", &format!("Created pod: p{i}"));
        }
    }

    /// client-go's aggregator: the tenth different message of a reason about an object, and
    /// every one after it, go into one combined event; the first nine keep theirs, and a
    /// repeat of one of them still counts there.
    #[test]
    fn similar_events_combine() {
        let mut w = World::new(1);
        creates(&mut w, 0..12);
        ev_reason(&mut w, "rs", "SuccessfulCreate", "Created pod: p3");
        ev_reason(&mut w, "rs", "SuccessfulDelete", "Deleted pod: p0");
        let mut want: Vec<(u32, String)> =
            (0..9).map(|i| (1, format!("Created pod: p{i}"))).collect();
        want[3].0 = 2;
        want.push((3, "(combined from similar events): Created pod: p11".into()));
        want.push((1, "Deleted pod: p0".into()));
        assert_eq!(counted(&w), want);
        // Ten minutes without one, and the group starts afresh: nine of their own again.
        w.run_until(AGGREGATE_INTERVAL + 1);
        creates(&mut w, 12..22);
        let c = counted(&w);
        assert_eq!(c.len(), 11 + 9);
        assert_eq!(c[19], (1, "Created pod: p20".into()));
        assert_eq!(
            c[9],
            (4, "(combined from similar events): Created pod: p21".into())
        );
    }

    /// client-go's spam filter: 25 events per source and object, whatever their reason, then
    /// one every five minutes; what it holds back still counts in the next that goes out.
    #[test]
    fn spam_filter_budget() {
        let mut w = World::new(1);
        for i in 0..20 {
            ev_reason(
                &mut w,
                "pod",
                "BackOff",
                "Back-off restarting failed container",
            );
            ev_reason(&mut w, "pod", "Other", &format!("m{}", i % 3));
        }
        // 25 sent: BackOff once and then 12 repeats, m0 m1 m2 four times each.
        assert_eq!(
            counted(&w),
            vec![
                (13, "Back-off restarting failed container".into()),
                (4, "m0".into()),
                (4, "m1".into()),
                (4, "m2".into()),
            ]
        );
        // Another object has its own budget.
        ev(&mut w, "other", "Started container");
        assert_eq!(w.events().len(), 5);
        w.run_until(SPAM_REFILL - 1);
        ev_reason(
            &mut w,
            "pod",
            "BackOff",
            "Back-off restarting failed container",
        );
        assert_eq!(counted(&w)[0].0, 13);
        w.run_until(2 * SPAM_REFILL - 1);
        ev_reason(
            &mut w,
            "pod",
            "BackOff",
            "Back-off restarting failed container",
        );
        assert_eq!(counted(&w)[0].0, 22);
        assert_eq!(
            w.events().iter().next().map(|r| r.last),
            Some(2 * SPAM_REFILL - 1)
        );
    }

    /// The scheduler records through events.k8s.io/v1: no aggregator, no spam filter.
    #[test]
    fn scheduler_events_are_not_correlated() {
        let mut w = World::new(1);
        for i in 0..40 {
            let message = format!("0/2 nodes are available: {}", i % 12);
            ev_from(
                &mut w,
                "default-scheduler",
                "u",
                "FailedScheduling",
                &message,
            );
        }
        let c = counted(&w);
        assert_eq!(c.len(), 12);
        assert_eq!(c.iter().map(|(n, _)| n).sum::<u32>(), 40);
    }
}
