/**
 * The GraphQL schema of each role, built on first use and rebuilt when the metadata or the
 * database catalog changes (the catalog's version moves).
 */
import type { GraphQLSchema } from 'graphql';
import type { Catalog } from './catalog.js';
import { SchemaFactory } from './schemaBuilder.js';

/** Schemas per role for one catalog version; rebuilt when the metadata or the database changes. */
export class SchemaCache {
  private version = -1;
  private factory: SchemaFactory | undefined;
  private readonly schemas = new Map<string, GraphQLSchema>();

  public constructor(private readonly catalog: Catalog) {}

  /**
   * The schema `role` sees (catalog must be fresh).
   *
   * @param isAdminSecret - whether the request proved the admin secret (backend-only inserts)
   */
  public forRole(role: string, isAdminSecret: boolean): GraphQLSchema {
    if (this.version !== this.catalog.version || this.factory === undefined) {
      this.version = this.catalog.version;
      this.factory = new SchemaFactory(this.catalog);
      this.schemas.clear();
    }
    const key = `${role}\u0000${isAdminSecret}`;
    let schema = this.schemas.get(key);
    if (schema === undefined) {
      schema = this.factory.build(role, isAdminSecret);
      this.schemas.set(key, schema);
    }
    return schema;
  }
}
