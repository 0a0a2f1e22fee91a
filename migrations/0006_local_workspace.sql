CREATE TABLE `local_messages` (
	`id` text PRIMARY KEY NOT NULL,
	`channel` text NOT NULL,
	`thread_id` text,
	`author_id` text,
	`kind` text NOT NULL,
	`text` text,
	`card` text,
	`csat` text,
	`visible_to` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `local_messages_channel_thread_idx` ON `local_messages` (`channel`,`thread_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `local_messages_updated_idx` ON `local_messages` (`updated_at`);