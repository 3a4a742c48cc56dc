//! How many live event feeds may be open: [`MAX_FEEDS`](crate::events::MAX_FEEDS)
//! on one control, and [`PER_PRINCIPAL`] for one login or API key, so a
//! single caller (a leaked key, a script in a loop) cannot take them all.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
};

use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use uuid::Uuid;
use vms_base::ErrorCode;

use crate::error::ApiError;

/// The most feeds one user (all its logins) or one API key holds at once.
pub const PER_PRINCIPAL: usize = 20;

/// The feeds open now, in all and per principal.
pub struct FeedSlots {
    all: Arc<Semaphore>,
    held: Mutex<HashMap<Uuid, usize>>,
}

/// One open feed's place; given back when dropped.
pub struct FeedSlot {
    _permit: OwnedSemaphorePermit,
    slots: Arc<FeedSlots>,
    principal: Uuid,
}

impl FeedSlots {
    /// Room for `max` feeds.
    pub fn new(max: usize) -> Arc<Self> {
        Arc::new(Self { all: Arc::new(Semaphore::new(max)), held: Mutex::default() })
    }

    /// A place for a feed of `principal` (a user or API key id), or 429.
    pub fn take(self: &Arc<Self>, principal: Uuid) -> Result<FeedSlot, ApiError> {
        let permit = self.all.clone().try_acquire_owned().map_err(|_| {
            ApiError::new(ErrorCode::ResourceExhausted, "too many live event feeds are open; try again later")
        })?;
        let mut held = self.held.lock().expect("feed slots lock");
        let mine = held.entry(principal).or_default();
        if *mine >= PER_PRINCIPAL {
            return Err(ApiError::new(
                ErrorCode::ResourceExhausted,
                format!("this login or API key has {PER_PRINCIPAL} live event feeds open already; close one first"),
            ));
        }
        *mine += 1;
        Ok(FeedSlot { _permit: permit, slots: self.clone(), principal })
    }
}

impl Drop for FeedSlot {
    fn drop(&mut self) {
        let mut held = self.slots.held.lock().expect("feed slots lock");
        if let Some(mine) = held.get_mut(&self.principal) {
            *mine -= 1;
            if *mine == 0 {
                held.remove(&self.principal);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_principal_cannot_take_every_feed() {
        let slots = FeedSlots::new(PER_PRINCIPAL + 1);
        let (me, other) = (Uuid::from_u128(1), Uuid::from_u128(2));
        let mine: Vec<FeedSlot> = (0..PER_PRINCIPAL).map(|_| slots.take(me).unwrap()).collect();
        assert!(slots.take(me).is_err(), "past the principal's share");
        let theirs = slots.take(other).unwrap();
        assert!(slots.take(Uuid::from_u128(3)).is_err(), "past the control's bound");
        drop(mine);
        drop(theirs);
        assert!(slots.held.lock().unwrap().is_empty());
        assert!(slots.take(me).is_ok(), "given back when closed");
    }
}
