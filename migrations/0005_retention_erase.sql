ALTER TABLE `escalations` ADD `text_purged_at` integer;--> statement-breakpoint
CREATE INDEX `escalations_text_updated_idx` ON `escalations` (`updated_at`) WHERE text_purged_at is null;--> statement-breakpoint
ALTER TABLE `messages` ADD `text_purged_at` integer;--> statement-breakpoint
CREATE INDEX `messages_text_sent_idx` ON `messages` (`sent_at`) WHERE text_purged_at is null;--> statement-breakpoint
CREATE INDEX `outbox_settled_created_idx` ON `outbox` (`created_at`) WHERE status != 'pending';--> statement-breakpoint
CREATE INDEX `trigger_hits_processed_idx` ON `trigger_hits` (`created_at`) WHERE processed_at is not null;