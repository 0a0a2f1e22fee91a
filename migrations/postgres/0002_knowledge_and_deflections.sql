CREATE TABLE "deflections" (
	"id" text PRIMARY KEY NOT NULL,
	"issue_id" text NOT NULL,
	"entry_id" text NOT NULL,
	"path" text NOT NULL,
	"actor" text NOT NULL,
	"source" text NOT NULL,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "knowledge_entries" (
	"id" text PRIMARY KEY NOT NULL,
	"escalation_id" text NOT NULL,
	"escalation_number" integer NOT NULL,
	"issue_id" text NOT NULL,
	"issue_number" integer NOT NULL,
	"channel" text NOT NULL,
	"thread_id" text NOT NULL,
	"path" text NOT NULL,
	"problem" text NOT NULL,
	"resolution_note" text NOT NULL,
	"root_cause" text NOT NULL,
	"answer" text,
	"resolved_by" text NOT NULL,
	"resolved_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "escalations" ADD COLUMN "similar_past" text;--> statement-breakpoint
ALTER TABLE "deflections" ADD CONSTRAINT "deflections_issue_id_issues_id_fk" FOREIGN KEY ("issue_id") REFERENCES "public"."issues"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deflections" ADD CONSTRAINT "deflections_entry_id_knowledge_entries_id_fk" FOREIGN KEY ("entry_id") REFERENCES "public"."knowledge_entries"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "knowledge_entries" ADD CONSTRAINT "knowledge_entries_escalation_id_escalations_id_fk" FOREIGN KEY ("escalation_id") REFERENCES "public"."escalations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "knowledge_entries" ADD CONSTRAINT "knowledge_entries_issue_id_issues_id_fk" FOREIGN KEY ("issue_id") REFERENCES "public"."issues"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "deflections_at_idx" ON "deflections" USING btree ("at");--> statement-breakpoint
CREATE UNIQUE INDEX "knowledge_entries_escalation_uq" ON "knowledge_entries" USING btree ("escalation_id");--> statement-breakpoint
CREATE INDEX "knowledge_entries_resolved_idx" ON "knowledge_entries" USING btree ("resolved_at");--> statement-breakpoint
CREATE INDEX "knowledge_entries_answer_idx" ON "knowledge_entries" USING btree ("resolved_at") WHERE answer is not null;
--> statement-breakpoint
-- Escalations resolved before this migration become knowledge too, so suggestions start with the history.
INSERT INTO "knowledge_entries" ("id", "escalation_id", "escalation_number", "issue_id", "issue_number", "channel", "thread_id", "path", "problem", "resolution_note", "root_cause", "answer", "resolved_by", "resolved_at")
SELECT 'kno_' || substr(e."id", 5), e."id", e."number", i."id", i."number", i."channel", i."thread_id", e."path",
  btrim(coalesce((SELECT m."text" FROM "messages" m WHERE m."issue_id" = i."id" AND m."author_role" = 'customer' AND m."deleted_at" IS NULL ORDER BY m."sent_at" LIMIT 1), '') || E'\n' || e."reason", E' \n'),
  coalesce(e."resolution_note", ''), e."root_cause", NULL, e."resolved_by", e."resolved_at"
FROM "escalations" e JOIN "issues" i ON i."id" = e."issue_id"
WHERE e."status" = 'resolved' AND e."root_cause" IS NOT NULL AND e."resolved_by" IS NOT NULL AND e."resolved_at" IS NOT NULL;
