CREATE TABLE `digests` (
	`id` text PRIMARY KEY NOT NULL,
	`period` text NOT NULL,
	`scope` text NOT NULL,
	`channels` text NOT NULL,
	`sent_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `digests_period_scope_uq` ON `digests` (`period`,`scope`);--> statement-breakpoint
CREATE INDEX `escalations_created_idx` ON `escalations` (`created_at`);--> statement-breakpoint
CREATE INDEX `issues_opened_idx` ON `issues` (`opened_at`);