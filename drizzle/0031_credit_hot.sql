DROP INDEX "credit_score_level_idx";--> statement-breakpoint
ALTER TABLE "credit_score" DROP COLUMN "contributions";