-- A team's member run answers one tool call of its leader (ask_<member>). A team paused across a
-- restart continues each paused member by that call: the store finds a paused team's paused members
-- by parent_run_id and gives each back with the call it answers. NULL for agents' and teams' own runs.
ALTER TABLE runs ADD COLUMN delegation_call_id TEXT;

CREATE INDEX runs_by_parent ON runs (parent_run_id) WHERE parent_run_id IS NOT NULL;
