//! Coupons and passes, and what learners hold of them (domain.md §7–§8).
//!
//! A coupon or a pass is one item in its own partition, listed in its lecturer's `gsi1`
//! partition while not deleted. It carries its target lectures (id and title, which a lecture
//! never changes) and a `version` that every change of targets bumps, and each target is also an
//! item in the lecture's offers partition, so a lecture's coupons and passes are one Query. A
//! holding (a learner's copy of a coupon) sits in the coupon's partition, keyed by the learner:
//! the key itself makes one holding per learner, and a coupon's deletion finds every holding
//! with one strongly consistent Query.

use connection_domain::offers::CouponTerms;
use connection_table::{Cond, Item, Key, TableError, TxOp, Update};
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::{encode, keys};

/// A target lecture as a coupon or pass shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Target {
    pub id: i64,
    pub title: String,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct CouponRecord {
    pub id: i64,
    pub lecturer_id: i64,
    pub title: String,
    pub percentage: Option<i64>,
    pub discount_price: Option<i64>,
    pub max_discount_price: Option<i64>,
    /// How many orders may use the coupon; `None` is unlimited.
    pub max_usage_count: Option<i64>,
    pub usage_count: i64,
    /// `maxUsageCount − usageCount`, kept beside them so that a write can be conditioned on it
    /// (a condition compares an attribute with a value, not with another attribute). Absent
    /// when uses are unlimited.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uses_left: Option<i64>,
    pub is_disabled: bool,
    pub is_stackable: bool,
    pub is_private: bool,
    pub start_at: String,
    pub end_at: String,
    pub targets: Vec<Target>,
    pub version: i64,
    pub created_at: String,
    pub updated_at: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deleted_at: Option<String>,
}

impl CouponRecord {
    pub fn item(&self) -> Result<Item, TableError> {
        let mut item = encode(&keys::coupon(self.id), "LectureCoupon", self)?;
        if self.deleted_at.is_none() {
            item.insert("gsi1pk".into(), keys::lecturer_coupons(self.lecturer_id).into());
            item.insert("gsi1sk".into(), keys::id_sort(self.id).into());
        }
        Ok(item)
    }

    pub fn terms(&self) -> CouponTerms {
        CouponTerms {
            percentage: self.percentage,
            discount_price: self.discount_price,
            max_discount_price: self.max_discount_price,
        }
    }

    /// Not disabled, not deleted and not past its end at `now` (ISO-8601).
    pub fn is_enabled(&self, now: &str) -> bool {
        !self.is_disabled && self.deleted_at.is_none() && self.end_at.as_str() > now
    }

    /// Every use allowed is taken.
    pub fn is_exhausted(&self) -> bool {
        self.uses_left.is_some_and(|left| left <= 0)
    }

    pub fn target_ids(&self) -> Vec<i64> {
        self.targets.iter().map(|t| t.id).collect()
    }
}

/// The condition under which a learner may take a coupon now: it exists, is neither deleted nor
/// disabled, is private or public as the claim expects, is not past its end and not used up.
/// The claim's transaction checks it, so a coupon deleted or used up meanwhile is never handed
/// out.
pub fn claimable(is_private: bool, now: &str) -> Cond {
    Cond::And(vec![
        crate::live(),
        Cond::Eq("isDisabled".into(), false.into()),
        Cond::Eq("isPrivate".into(), is_private.into()),
        Cond::Gt("endAt".into(), now.into()),
        Cond::Or(vec![Cond::AttrNotExists("usesLeft".into()), Cond::Gt("usesLeft".into(), 0.into())]),
    ])
}

/// A learner's copy of a coupon (`UserCoupon`). Its id on the wire is the coupon's: a learner
/// holds a coupon at most once, so it is unique in every list of theirs.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct HoldingRecord {
    pub user_id: i64,
    pub lecture_coupon_id: i64,
    pub is_used: bool,
    pub created_at: String,
    pub updated_at: String,
    /// The learner removed a used coupon from their lists; the holding stays, so that it
    /// cannot be taken again.
    pub hidden: bool,
}

impl HoldingRecord {
    pub fn item(&self) -> Result<Item, TableError> {
        let mut item = encode(&keys::holding(self.lecture_coupon_id, self.user_id), "UserCoupon", self)?;
        if !self.hidden {
            item.insert("gsi1pk".into(), keys::user_coupons(self.user_id).into());
            item.insert("gsi1sk".into(), keys::id_sort(self.lecture_coupon_id).into());
        }
        Ok(item)
    }
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PassRecord {
    pub id: i64,
    pub lecturer_id: i64,
    pub title: String,
    pub price: i64,
    pub max_usage_count: i64,
    pub available_months: i64,
    pub sales_count: i64,
    pub is_disabled: bool,
    pub targets: Vec<Target>,
    pub created_at: String,
    pub updated_at: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deleted_at: Option<String>,
}

impl PassRecord {
    pub fn item(&self) -> Result<Item, TableError> {
        let mut item = encode(&keys::pass(self.id), "LecturePass", self)?;
        if self.deleted_at.is_none() {
            item.insert("gsi1pk".into(), keys::lecturer_passes(self.lecturer_id).into());
            item.insert("gsi1sk".into(), keys::id_sort(self.id).into());
        }
        Ok(item)
    }
}

/// What a pass was when it was bought: a purchase keeps the terms it paid for.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PassTerms {
    pub id: i64,
    pub title: String,
    pub price: i64,
    pub max_usage_count: i64,
    pub available_months: i64,
    pub target_ids: Vec<i64>,
    pub created_at: String,
    pub updated_at: String,
}

/// A purchased pass (`UserPass`), written by the purchase. Listed in the learner's `gsi1`
/// partition while enabled.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct UserPassRecord {
    pub id: i64,
    pub user_id: i64,
    pub payment_id: i64,
    pub lecture_pass_id: i64,
    pub remaining_uses: i64,
    pub is_enabled: bool,
    /// Set by the first use (the validity window starts there).
    pub start_at: Option<String>,
    pub end_at: Option<String>,
    pub pass: PassTerms,
    pub created_at: String,
    pub updated_at: String,
}

impl UserPassRecord {
    pub fn item(&self) -> Result<Item, TableError> {
        let mut item = encode(&keys::user_pass(self.user_id, self.id), "UserPass", self)?;
        if self.is_enabled {
            item.insert("gsi1pk".into(), keys::user_passes(self.user_id).into());
            item.insert("gsi1sk".into(), keys::id_sort(self.id).into());
        }
        Ok(item)
    }

    /// Enabled, with uses left and not past its window at `now` (ISO-8601), for `lecture_id`.
    pub fn usable_for(&self, lecture_id: i64, now: &str) -> bool {
        self.is_enabled
            && self.remaining_uses > 0
            && self.end_at.as_deref().is_none_or(|end| end >= now)
            && self.pass.target_ids.contains(&lecture_id)
    }
}

/// What an offer's change of targets writes: the offer's new target list (only if no other
/// change of its targets came first: `version`), the target items the lecture gains and the
/// ones it loses. `offer` is the coupon or pass key, `kind` its target prefix.
pub struct Retarget<'a> {
    pub offer: Key,
    pub kind: TargetKind,
    pub offer_id: i64,
    pub version: i64,
    pub before: &'a [Target],
    pub after: &'a [Target],
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TargetKind {
    Coupon,
    Pass,
}

impl Retarget<'_> {
    /// The transaction's operations: the offer's update (plus `also`, under `cond` as well as
    /// the version) and [`Retarget::target_writes`].
    pub fn ops(&self, also: Update, cond: Option<Cond>) -> Vec<TxOp> {
        let mut guard = vec![Cond::Eq("version".into(), self.version.into())];
        guard.extend(cond);
        let update = also.set("targets", json!(self.after)).set("version", self.version + 1);
        let mut ops = vec![TxOp::Update { key: self.offer.clone(), update, cond: Some(Cond::And(guard)) }];
        ops.extend(self.target_writes());
        ops
    }

    /// One write per target gained (a put) or lost (a delete).
    pub fn target_writes(&self) -> Vec<TxOp> {
        let target = |lecture_id| match self.kind {
            TargetKind::Coupon => keys::coupon_target(lecture_id, self.offer_id),
            TargetKind::Pass => keys::pass_target(lecture_id, self.offer_id),
        };
        let mut ops = Vec::new();
        for gained in self.after.iter().filter(|t| !self.before.iter().any(|b| b.id == t.id)) {
            let item =
                target(gained.id).item_with(json!({"entity": "OfferTarget", "offerId": self.offer_id}));
            ops.push(TxOp::Put { item, cond: None });
        }
        for lost in self.before.iter().filter(|b| !self.after.iter().any(|t| t.id == b.id)) {
            ops.push(TxOp::Delete { key: target(lost.id), cond: None });
        }
        ops
    }
}

/// The ids of the offers that target items name.
pub fn target_offer_ids(items: &[Item]) -> Vec<i64> {
    items.iter().filter_map(|item| item.get("offerId").and_then(|v| v.as_i64())).collect()
}

/// The lectures `ids` as targets of an offer of `lecturer_id`: `None` unless every one is a
/// live lecture of that lecturer. One batch read.
pub async fn own_lectures(
    table: &dyn connection_table::Table,
    lecturer_id: i64,
    ids: &[i64],
) -> Result<Option<Vec<Target>>, TableError> {
    let mut ids = ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    let keys: Vec<Key> = ids.iter().map(|id| keys::lecture(*id)).collect();
    let mut targets = Vec::with_capacity(ids.len());
    for item in table.batch_get(&keys).await? {
        let Some(lecture) = item.map(crate::decode::<crate::lecture::LectureRecord>).transpose()? else {
            return Ok(None);
        };
        if lecture.lecturer_id != lecturer_id || lecture.deleted_at.is_some() {
            return Ok(None);
        }
        targets.push(Target { id: lecture.id, title: lecture.title });
    }
    Ok(Some(targets))
}

/// The most lectures one coupon or pass targets, so that a change of all its targets fits one
/// transaction.
pub const TARGETS_MAX: usize = 30;

/// The coupons `ids` that `lecturer_id` may attach to a class (`lecture`, `None` for a class
/// not written yet) at `now`: their own, not deleted, not disabled, not ended, with room for one
/// more target unless they already target it. `Err` names the ids that are not. One batch read.
pub async fn attachable_coupons(
    table: &dyn connection_table::Table,
    lecturer_id: i64,
    ids: &[i64],
    lecture: Option<i64>,
    now: &str,
) -> Result<Result<Vec<CouponRecord>, Vec<i64>>, TableError> {
    let keys: Vec<Key> = ids.iter().map(|id| keys::coupon(*id)).collect();
    let mut coupons = Vec::new();
    let mut refused = Vec::new();
    for (id, item) in ids.iter().zip(table.batch_get(&keys).await?) {
        let coupon = item.map(crate::decode::<CouponRecord>).transpose()?;
        match coupon.filter(|c| c.lecturer_id == lecturer_id && c.is_enabled(now)) {
            Some(c) if c.targets.len() < TARGETS_MAX || c.targets.iter().any(|t| Some(t.id) == lecture) => {
                coupons.push(c)
            }
            _ => refused.push(*id),
        }
    }
    Ok(if refused.is_empty() { Ok(coupons) } else { Err(refused) })
}

/// The writes by which `coupons` come to target `lecture` (`attach`) or stop targeting it;
/// each is conditioned on the coupon's version and on its being live.
pub fn attach_ops(coupons: &[CouponRecord], lecture: &Target, attach: bool, now: &str) -> Vec<TxOp> {
    let mut ops = Vec::new();
    for coupon in coupons {
        let has = coupon.targets.iter().any(|t| t.id == lecture.id);
        if has == attach {
            continue;
        }
        let after: Vec<Target> = if attach {
            coupon.targets.iter().cloned().chain([lecture.clone()]).collect()
        } else {
            coupon.targets.iter().filter(|t| t.id != lecture.id).cloned().collect()
        };
        let retarget = Retarget {
            offer: keys::coupon(coupon.id),
            kind: TargetKind::Coupon,
            offer_id: coupon.id,
            version: coupon.version,
            before: &coupon.targets,
            after: &after,
        };
        ops.extend(retarget.ops(Update::new().set("updatedAt", now), Some(crate::live())));
    }
    ops
}
