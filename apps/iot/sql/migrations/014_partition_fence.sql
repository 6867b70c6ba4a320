-- Rebalance fencing: each member that takes a topic-partition bumps its epoch (in a transaction of
-- its own, holding the row lock) before writing anything of it; each micro-batch locks the row for
-- its whole length and goes on only while the epoch is still the one this member claimed. A member
-- that lost the partition (a zombie) therefore writes no file and no checkpoint after the new
-- owner's claim, and the new owner's orphan cleanup runs while no batch of it is in flight.
ALTER TABLE iot_lake_progress ADD COLUMN owner_epoch bigint NOT NULL DEFAULT 0;
