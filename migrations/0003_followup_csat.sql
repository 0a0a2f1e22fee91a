CREATE TABLE `csat_responses` (
	`id` text PRIMARY KEY NOT NULL,
	`escalation_id` text NOT NULL,
	`issue_id` text NOT NULL,
	`score` integer NOT NULL,
	`respondent` text NOT NULL,
	`at` integer NOT NULL,
	FOREIGN KEY (`escalation_id`) REFERENCES `escalations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`issue_id`) REFERENCES `issues`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `csat_responses_escalation_uq` ON `csat_responses` (`escalation_id`);--> statement-breakpoint
CREATE INDEX `csat_responses_at_idx` ON `csat_responses` (`at`);--> statement-breakpoint
ALTER TABLE `escalations` ADD `ai_summary` text;--> statement-breakpoint
ALTER TABLE `escalations` ADD `reescalation_of` text;--> statement-breakpoint
ALTER TABLE `escalations` ADD `ping_pong` integer DEFAULT false NOT NULL;