CREATE TABLE `conversation_refs` (
	`channel` text PRIMARY KEY NOT NULL,
	`platform` text NOT NULL,
	`data` text NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `conversation_refs_platform_idx` ON `conversation_refs` (`platform`,`updated_at`);--> statement-breakpoint
CREATE TABLE `people` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`updated_at` integer NOT NULL
);
