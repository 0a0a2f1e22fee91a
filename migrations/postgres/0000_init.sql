CREATE TABLE "conversation_refs" (
	"channel" text PRIMARY KEY NOT NULL,
	"platform" text NOT NULL,
	"data" text NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "csat_responses" (
	"id" text PRIMARY KEY NOT NULL,
	"escalation_id" text NOT NULL,
	"issue_id" text NOT NULL,
	"score" integer NOT NULL,
	"respondent" text NOT NULL,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "digests" (
	"id" text PRIMARY KEY NOT NULL,
	"period" text NOT NULL,
	"scope" text NOT NULL,
	"channels" text NOT NULL,
	"sent_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "escalation_events" (
	"id" text PRIMARY KEY NOT NULL,
	"escalation_id" text NOT NULL,
	"action" text NOT NULL,
	"from_status" text,
	"to_status" text NOT NULL,
	"actor" text NOT NULL,
	"source" text NOT NULL,
	"detail" text,
	"at" timestamp with time zone NOT NULL,
	"insert_order" bigint GENERATED ALWAYS AS IDENTITY (sequence name "escalation_events_insert_order_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1)
);
--> statement-breakpoint
CREATE TABLE "escalations" (
	"id" text PRIMARY KEY NOT NULL,
	"number" integer NOT NULL,
	"issue_id" text NOT NULL,
	"status" text NOT NULL,
	"version" integer NOT NULL,
	"type" text NOT NULL,
	"path" text NOT NULL,
	"level" integer NOT NULL,
	"path_snapshot" text NOT NULL,
	"priority" text NOT NULL,
	"trigger" text NOT NULL,
	"evidence" text NOT NULL,
	"reason" text NOT NULL,
	"reason_category" text,
	"parent_id" text,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"ack_due_at" timestamp with time zone,
	"resolve_due_at" timestamp with time zone,
	"claimed_by" text,
	"claimed_at" timestamp with time zone,
	"resolved_by" text,
	"resolved_at" timestamp with time zone,
	"resolution_note" text,
	"root_cause" text,
	"bounced_by" text,
	"bounced_at" timestamp with time zone,
	"bounce_reason" text,
	"superseded_by" text,
	"status_note" text,
	"ai_summary" text,
	"reescalation_of" text,
	"ping_pong" boolean DEFAULT false NOT NULL,
	"card_channel" text,
	"card_message_id" text,
	"updated_at" timestamp with time zone NOT NULL,
	"text_purged_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "issues" (
	"id" text PRIMARY KEY NOT NULL,
	"number" integer NOT NULL,
	"channel" text NOT NULL,
	"thread_id" text NOT NULL,
	"path" text NOT NULL,
	"priority" text NOT NULL,
	"status" text NOT NULL,
	"customer_id" text,
	"opened_by" text NOT NULL,
	"opened_at" timestamp with time zone NOT NULL,
	"first_response_at" timestamp with time zone,
	"last_customer_message_at" timestamp with time zone,
	"message_count" integer NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"first_response_due_at" timestamp with time zone,
	"resolve_due_at" timestamp with time zone,
	"first_response_breached_at" timestamp with time zone,
	"resolve_breached_at" timestamp with time zone,
	"last_resolved_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "local_messages" (
	"id" text PRIMARY KEY NOT NULL,
	"channel" text NOT NULL,
	"thread_id" text,
	"author_id" text,
	"kind" text NOT NULL,
	"text" text,
	"card" text,
	"csat" text,
	"visible_to" text,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"insert_order" bigint GENERATED ALWAYS AS IDENTITY (sequence name "local_messages_insert_order_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1)
);
--> statement-breakpoint
CREATE TABLE "messages" (
	"id" text PRIMARY KEY NOT NULL,
	"issue_id" text NOT NULL,
	"channel" text NOT NULL,
	"message_id" text NOT NULL,
	"author_id" text NOT NULL,
	"author_role" text NOT NULL,
	"text" text NOT NULL,
	"sent_at" timestamp with time zone NOT NULL,
	"edited_at" timestamp with time zone,
	"deleted_at" timestamp with time zone,
	"text_purged_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "outbox" (
	"id" text PRIMARY KEY NOT NULL,
	"seq" integer NOT NULL,
	"order_key" text NOT NULL,
	"kind" text NOT NULL,
	"payload" text NOT NULL,
	"status" text NOT NULL,
	"attempts" integer NOT NULL,
	"next_attempt_at" timestamp with time zone NOT NULL,
	"last_error" text,
	"created_at" timestamp with time zone NOT NULL,
	"delivered_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "people" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"email" text,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "processed_events" (
	"key" text PRIMARY KEY NOT NULL,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "systemic_members" (
	"escalation_id" text NOT NULL,
	"issue_id" text NOT NULL,
	"joined_at" timestamp with time zone NOT NULL,
	"insert_order" bigint GENERATED ALWAYS AS IDENTITY (sequence name "systemic_members_insert_order_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1)
);
--> statement-breakpoint
CREATE TABLE "trigger_feedback" (
	"id" text PRIMARY KEY NOT NULL,
	"escalation_id" text NOT NULL,
	"kind" text NOT NULL,
	"verdict" text NOT NULL,
	"reason" text,
	"matched" text NOT NULL,
	"actor" text NOT NULL,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "trigger_firings" (
	"id" text PRIMARY KEY NOT NULL,
	"issue_id" text NOT NULL,
	"kind" text NOT NULL,
	"escalation_id" text,
	"fired_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "trigger_hits" (
	"id" text PRIMARY KEY NOT NULL,
	"issue_id" text NOT NULL,
	"kind" text NOT NULL,
	"evidence" text NOT NULL,
	"matched" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"processed_at" timestamp with time zone,
	"outcome" text,
	"insert_order" bigint GENERATED ALWAYS AS IDENTITY (sequence name "trigger_hits_insert_order_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1)
);
--> statement-breakpoint
ALTER TABLE "csat_responses" ADD CONSTRAINT "csat_responses_escalation_id_escalations_id_fk" FOREIGN KEY ("escalation_id") REFERENCES "public"."escalations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "csat_responses" ADD CONSTRAINT "csat_responses_issue_id_issues_id_fk" FOREIGN KEY ("issue_id") REFERENCES "public"."issues"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "escalation_events" ADD CONSTRAINT "escalation_events_escalation_id_escalations_id_fk" FOREIGN KEY ("escalation_id") REFERENCES "public"."escalations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "escalations" ADD CONSTRAINT "escalations_issue_id_issues_id_fk" FOREIGN KEY ("issue_id") REFERENCES "public"."issues"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "messages" ADD CONSTRAINT "messages_issue_id_issues_id_fk" FOREIGN KEY ("issue_id") REFERENCES "public"."issues"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "systemic_members" ADD CONSTRAINT "systemic_members_escalation_id_escalations_id_fk" FOREIGN KEY ("escalation_id") REFERENCES "public"."escalations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "systemic_members" ADD CONSTRAINT "systemic_members_issue_id_issues_id_fk" FOREIGN KEY ("issue_id") REFERENCES "public"."issues"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "trigger_feedback" ADD CONSTRAINT "trigger_feedback_escalation_id_escalations_id_fk" FOREIGN KEY ("escalation_id") REFERENCES "public"."escalations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "trigger_firings" ADD CONSTRAINT "trigger_firings_issue_id_issues_id_fk" FOREIGN KEY ("issue_id") REFERENCES "public"."issues"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "trigger_hits" ADD CONSTRAINT "trigger_hits_issue_id_issues_id_fk" FOREIGN KEY ("issue_id") REFERENCES "public"."issues"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "conversation_refs_platform_idx" ON "conversation_refs" USING btree ("platform","updated_at");--> statement-breakpoint
CREATE UNIQUE INDEX "csat_responses_escalation_uq" ON "csat_responses" USING btree ("escalation_id");--> statement-breakpoint
CREATE INDEX "csat_responses_at_idx" ON "csat_responses" USING btree ("at");--> statement-breakpoint
CREATE UNIQUE INDEX "digests_period_scope_uq" ON "digests" USING btree ("period","scope");--> statement-breakpoint
CREATE INDEX "escalation_events_escalation_idx" ON "escalation_events" USING btree ("escalation_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "escalations_number_uq" ON "escalations" USING btree ("number");--> statement-breakpoint
CREATE INDEX "escalations_issue_idx" ON "escalations" USING btree ("issue_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "escalations_one_active_uq" ON "escalations" USING btree ("issue_id") WHERE status in ('open', 'claimed');--> statement-breakpoint
CREATE INDEX "escalations_ack_due_idx" ON "escalations" USING btree ("status","ack_due_at");--> statement-breakpoint
CREATE INDEX "escalations_resolve_due_idx" ON "escalations" USING btree ("status","resolve_due_at");--> statement-breakpoint
CREATE INDEX "escalations_created_idx" ON "escalations" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "escalations_text_updated_idx" ON "escalations" USING btree ("updated_at") WHERE text_purged_at is null;--> statement-breakpoint
CREATE INDEX "issues_first_response_due_idx" ON "issues" USING btree ("first_response_due_at") WHERE first_response_at is null and first_response_breached_at is null;--> statement-breakpoint
CREATE INDEX "issues_resolve_due_idx" ON "issues" USING btree ("resolve_due_at") WHERE status != 'resolved' and resolve_breached_at is null;--> statement-breakpoint
CREATE UNIQUE INDEX "issues_thread_uq" ON "issues" USING btree ("channel","thread_id");--> statement-breakpoint
CREATE UNIQUE INDEX "issues_number_uq" ON "issues" USING btree ("number");--> statement-breakpoint
CREATE INDEX "issues_channel_status_opened_idx" ON "issues" USING btree ("channel","status","opened_at");--> statement-breakpoint
CREATE INDEX "issues_opened_idx" ON "issues" USING btree ("opened_at");--> statement-breakpoint
CREATE INDEX "local_messages_channel_thread_idx" ON "local_messages" USING btree ("channel","thread_id","created_at");--> statement-breakpoint
CREATE INDEX "local_messages_updated_idx" ON "local_messages" USING btree ("updated_at");--> statement-breakpoint
CREATE UNIQUE INDEX "messages_platform_uq" ON "messages" USING btree ("channel","message_id");--> statement-breakpoint
CREATE INDEX "messages_issue_sent_idx" ON "messages" USING btree ("issue_id","sent_at");--> statement-breakpoint
CREATE INDEX "messages_text_sent_idx" ON "messages" USING btree ("sent_at") WHERE text_purged_at is null;--> statement-breakpoint
CREATE UNIQUE INDEX "outbox_seq_uq" ON "outbox" USING btree ("seq");--> statement-breakpoint
CREATE INDEX "outbox_pending_idx" ON "outbox" USING btree ("status","next_attempt_at") WHERE status = 'pending';--> statement-breakpoint
CREATE INDEX "outbox_order_key_idx" ON "outbox" USING btree ("order_key","status","seq");--> statement-breakpoint
CREATE INDEX "outbox_settled_created_idx" ON "outbox" USING btree ("created_at") WHERE status != 'pending';--> statement-breakpoint
CREATE UNIQUE INDEX "systemic_members_uq" ON "systemic_members" USING btree ("escalation_id","issue_id");--> statement-breakpoint
CREATE INDEX "systemic_members_issue_idx" ON "systemic_members" USING btree ("issue_id");--> statement-breakpoint
CREATE INDEX "trigger_feedback_kind_idx" ON "trigger_feedback" USING btree ("kind","at");--> statement-breakpoint
CREATE INDEX "trigger_firings_issue_kind_idx" ON "trigger_firings" USING btree ("issue_id","kind","fired_at");--> statement-breakpoint
CREATE INDEX "trigger_hits_pending_idx" ON "trigger_hits" USING btree ("created_at") WHERE processed_at is null;--> statement-breakpoint
CREATE INDEX "trigger_hits_processed_idx" ON "trigger_hits" USING btree ("created_at") WHERE processed_at is not null;