import { randomBytes } from "node:crypto";

// A scratch application database on the machine's real servers, with both seeds' orders table:
// status (legacy) and order_status (new) with idx_orders_order_status, legacy_total and new_total.
// Set up with an ordinary connection, as the application's migrations would; Rampart reads it read-only.

export interface ScratchAppDb {
  kind: "postgresql" | "mysql";
  dsn: string;
  /** Runs DDL or DML as the application would (not read-only). */
  exec(sql: string): Promise<void>;
  drop(): Promise<void>;
}

const ORDERS = {
  postgresql: `create table orders (id bigserial primary key, status varchar(50) not null, order_status varchar(50), legacy_total numeric, new_total numeric);
    create index idx_orders_order_status on orders (order_status)`,
  mysql: `create table orders (id bigint auto_increment primary key, status varchar(50) not null, order_status varchar(50), legacy_total decimal(12,2), new_total decimal(12,2));
    create index idx_orders_order_status on orders (order_status)`,
};

/** On the machine's PostgreSQL unless `server` names another (`postgres://user:password@host:port`). */
export async function givenScratchAppDb(kind: "postgresql" | "mysql", { server = "postgres://postgres@127.0.0.1:5432" } = {}): Promise<ScratchAppDb> {
  const name = `rampart_app_${randomBytes(4).toString("hex")}`;
  if (kind === "postgresql") {
    const { Client } = await import("pg");
    const admin = new Client({ connectionString: `${server}/postgres` });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    const dsn = `${server}/${name}`;
    const exec = async (sql: string) => {
      const client = new Client({ connectionString: dsn });
      await client.connect();
      try {
        await client.query(sql);
      } finally {
        await client.end();
      }
    };
    await exec(ORDERS.postgresql);
    // Where the server preloads pg_stat_statements, the database gets the extension, as its DBA would add it.
    await exec("do $$ begin if current_setting('shared_preload_libraries') like '%pg_stat_statements%' then create extension if not exists pg_stat_statements; end if; end $$");
    return {
      kind,
      dsn,
      exec,
      drop: async () => {
        const client = new Client({ connectionString: `${server}/postgres` });
        await client.connect();
        await client.query(`drop database if exists ${name} with (force)`);
        await client.end();
      },
    };
  }
  const mysql = await import("mysql2/promise");
  const admin = await mysql.createConnection({ uri: "mysql://root@127.0.0.1:3306/mysql" });
  await admin.query(`create database ${name}`);
  await admin.end();
  const dsn = `mysql://root@127.0.0.1:3306/${name}`;
  const exec = async (sql: string) => {
    const connection = await mysql.createConnection({ uri: dsn, multipleStatements: true });
    try {
      await connection.query(sql);
    } finally {
      await connection.end();
    }
  };
  await exec(ORDERS.mysql);
  return {
    kind,
    dsn,
    exec,
    drop: async () => {
      const connection = await mysql.createConnection({ uri: "mysql://root@127.0.0.1:3306/mysql" });
      await connection.query(`drop database if exists ${name}`);
      await connection.end();
    },
  };
}
