-- Every installation starts with the two environments the seeds ramp through.
INSERT INTO "environments" ("key", "name") VALUES ('production', 'Production'), ('staging', 'Staging')
ON CONFLICT ("key") DO NOTHING;
