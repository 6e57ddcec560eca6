import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/index.js';
import { redisOptionsFromUrl } from '../../../src/redis/redis-options.js';
import { parseHcl, parseTerraformModule } from '../../helpers/hcl.js';

/*
 * No terraform binary runs here, so this test reads deploy/terraform/ with HashiCorp's HCL
 * parser (compiled to WebAssembly in @cdktf/hcl2json: a syntax error fails the test) and
 * checks what `terraform plan` would create: which tier each Redis runs on, its eviction
 * policy, that nothing is public, and that the outputs are URLs batchline accepts. It also
 * does the part of `terraform validate` a typo would break: every variable and resource a
 * module references is declared.
 */

type Block = Record<string, unknown>;
/** hcl2json's shape: every block kind maps names (and resource types) to a list of blocks. */
type Module = {
  resource?: Record<string, Record<string, Block[]>>;
  variable?: Record<string, Block[]>;
  output?: Record<string, Block[]>;
};

const modules = { azure: 'deploy/terraform/azure', aws: 'deploy/terraform/aws' } as const;
type Cloud = keyof typeof modules;
const parsed = {} as Record<Cloud, Module>;

beforeAll(async () => {
  for (const cloud of Object.keys(modules) as Cloud[]) parsed[cloud] = (await parseTerraformModule(modules[cloud])) as Module;
});

/** The one block declaring a resource (a second declaration is an error in terraform too). */
function resource(cloud: Cloud, type: string, name: string): Block {
  const blocks = parsed[cloud].resource?.[type]?.[name];
  expect(blocks, `${modules[cloud]}: resource ${type}.${name}`).toHaveLength(1);
  return (blocks as Block[])[0] as Block;
}

/** The one nested block of a kind, e.g. `redis_configuration`. */
function nested(block: Block, kind: string): Block {
  const blocks = block[kind] as Block[] | undefined;
  expect(blocks, kind).toHaveLength(1);
  return (blocks as Block[])[0] as Block;
}

/** Every string inside a parsed value, at any depth. */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value && typeof value === 'object') return Object.values(value).flatMap(strings);
  return [];
}

/** Addresses `type.name` of the resources an expression refers to. */
function resourceRefs(value: unknown): string[] {
  const expressions = strings(value).flatMap((text) => [...text.matchAll(/\$\{([^}]*)\}/g)].map((m) => m[1] ?? ''));
  return expressions.flatMap((expression) => [...expression.matchAll(/\b((?:azurerm|aws|random)_[a-z0-9_]+)\.([a-z_][a-z0-9_-]*)/g)].map((m) => `${m[1]}.${m[2]}`));
}

/** The resource an attribute holds a reference to, e.g. `${aws_x.y.name}` → the block of aws_x.y. */
function referenced(cloud: Cloud, value: unknown): Block {
  const refs = [...new Set(resourceRefs(value))];
  expect(refs, String(value)).toHaveLength(1);
  const [type = '', name = ''] = (refs[0] ?? '').split('.');
  return resource(cloud, type, name);
}

function output(cloud: Cloud, name: string): Block {
  const blocks = parsed[cloud].output?.[name];
  expect(blocks, `${modules[cloud]}: output ${name}`).toHaveLength(1);
  return (blocks as Block[])[0] as Block;
}

/** The resource an output's URL points at: the one whose host name it carries. */
function urlTarget(cloud: Cloud, role: 'broker' | 'cache'): string {
  const value = String(output(cloud, `batchline_${role}_url`).value);
  const host = value.match(/@\$\{([a-z0-9_]+\.[a-z0-9_]+)\.(?:hostname|primary_endpoint_address)\}/);
  expect(host, value).not.toBeNull();
  return host?.[1] ?? '';
}

/** The maxmemory-policy a Redis resource runs with, from its own configuration or its parameter group. */
function evictionPolicy(cloud: Cloud, address: string): string {
  const [type = '', name = ''] = address.split('.');
  const redis = resource(cloud, type, name);
  if (type === 'azurerm_redis_cache') return String(nested(redis, 'redis_configuration').maxmemory_policy);
  const group = referenced(cloud, redis.parameter_group_name);
  const policies = (group.parameter as Block[]).filter((p) => p.name === 'maxmemory-policy');
  expect(policies).toHaveLength(1);
  return String(policies[0]?.value);
}

/*
 * What terraform would output, given values for the attributes the provider knows only
 * after apply. `urlencode` is Go's url.QueryEscape: like encodeURIComponent, except for spaces.
 */
function renderUrl(template: string, known: { host: string; port: number; secret: string }): string {
  const rendered = template
    .replace(/\$\{urlencode\([^)]*\)\}/g, encodeURIComponent(known.secret).replace(/%20/g, '+'))
    .replace(/\$\{[^}]*\.(?:hostname|primary_endpoint_address)\}/g, known.host)
    .replace(/\$\{[^}]*\.(?:ssl_port|port)\}/g, String(known.port));
  expect(rendered, `an expression left in ${template}`).not.toContain('${');
  return rendered;
}

describe.each(Object.keys(modules) as Cloud[])('deploy/terraform/%s as terraform reads it', (cloud) => {
  it('declares each resource once and references only resources it declares', () => {
    const declared = new Set<string>();
    for (const [type, byName] of Object.entries(parsed[cloud].resource ?? {})) {
      for (const [name, blocks] of Object.entries(byName)) {
        expect(blocks, `${type}.${name}`).toHaveLength(1);
        declared.add(`${type}.${name}`);
      }
    }
    const used = new Set([...resourceRefs(parsed[cloud].resource), ...resourceRefs(parsed[cloud].output)]);
    expect(used.size).toBeGreaterThan(0);
    for (const address of used) expect(declared, `${modules[cloud]} refers to ${address}`).toContain(address);
  });

  it('declares every variable it uses, each with a description, and uses every one it declares', () => {
    const variables = parsed[cloud].variable ?? {};
    const text = strings([parsed[cloud].resource, parsed[cloud].output]).join('\n');
    const used = new Set([...text.matchAll(/\bvar\.([a-z_][a-z0-9_]*)/g)].map((m) => m[1] ?? ''));
    expect(new Set(Object.keys(variables))).toEqual(used);
    for (const [name, blocks] of Object.entries(variables)) {
      expect(blocks, name).toHaveLength(1);
      expect(String(blocks[0]?.description ?? ''), `variable ${name} has a description`).toMatch(/\w{3,}.{20,}/);
    }
  });

  it('outputs the two URLs batchline reads, as sensitive rediss:// URLs that batchline accepts', () => {
    const env: Record<string, string> = {};
    // Azure's keys are base64 (+ / =); the AWS tokens letters and digits. No spaces: urlencode
    // writes a space as +, which a URL parser reads back as +.
    const secrets = { broker: 'pJ+jruGK/HDKsEC8=', cache: 'sJ/jr+uGKPHDKsE=' };
    for (const role of ['broker', 'cache'] as const) {
      const out = output(cloud, `batchline_${role}_url`);
      expect(out.sensitive, `${role} URL carries the key: sensitive`).toBe(true);
      expect(String(out.description)).toContain(`BATCHLINE_${role.toUpperCase()}_URL`);
      expect(String(out.value)).toMatch(/^rediss:\/\/:\$\{urlencode\(/);
      env[`BATCHLINE_${role.toUpperCase()}_URL`] = renderUrl(String(out.value), { host: `${role}.private.example`, port: 6380, secret: secrets[role] });
    }
    const config = loadConfig({ env, cwd: mkdtempSync(path.join(os.tmpdir(), 'terraform-')) });
    for (const [role, url] of [
      ['broker', config.brokerUrl],
      ['cache', config.cacheUrl],
    ] as const) {
      const options = redisOptionsFromUrl(url ?? '');
      expect(options, role).toMatchObject({ host: `${role}.private.example`, port: 6380, password: secrets[role], tls: { servername: `${role}.private.example` } });
      expect(options.username, role).toBeUndefined();
    }
  });

  it('makes the broker and the cache separate resources with different eviction policies', () => {
    const broker = urlTarget(cloud, 'broker');
    const cache = urlTarget(cloud, 'cache');
    expect(broker).not.toBe(cache);
    expect(evictionPolicy(cloud, broker)).toBe('noeviction');
    expect(evictionPolicy(cloud, cache)).toBe('allkeys-lru');
    // Each URL takes its host, port and secret from its own resources only.
    for (const [role, target] of [
      ['broker', broker],
      ['cache', cache],
    ] as const) {
      const refs = resourceRefs(output(cloud, `batchline_${role}_url`).value);
      const other = role === 'broker' ? cache : broker;
      expect(refs, role).toContain(target);
      expect(refs, role).not.toContain(other);
    }
  });
});

describe('the Azure module', () => {
  const redisCaches = ['cache', 'broker'] as const;

  it('runs the cache on Basic C0, evicting least recently used keys, without persistence', () => {
    const cache = resource('azure', 'azurerm_redis_cache', 'cache');
    expect(cache).toMatchObject({ sku_name: 'Basic', family: 'C', capacity: 0 });
    const settings = nested(cache, 'redis_configuration');
    expect(settings.maxmemory_policy).toBe('allkeys-lru');
    expect(settings.aof_backup_enabled ?? false).toBe(false);
    expect(settings.rdb_backup_enabled ?? false).toBe(false);
  });

  it('runs the broker on Premium with its append-only file in a storage account the module creates, never evicting', () => {
    const broker = resource('azure', 'azurerm_redis_cache', 'broker');
    expect(broker).toMatchObject({ sku_name: 'Premium', family: 'P' });
    const settings = nested(broker, 'redis_configuration');
    expect(settings.maxmemory_policy).toBe('noeviction');
    expect(settings.aof_backup_enabled).toBe(true);
    expect(String(settings.aof_storage_connection_string_0)).toMatch(/\.primary_blob_connection_string\}$/);
    const storage = referenced('azure', settings.aof_storage_connection_string_0);
    expect(storage).toMatchObject({ min_tls_version: 'TLS1_2', allow_nested_items_to_be_public: false });
    const capacity = parsed.azure.variable?.broker_capacity?.[0];
    expect(broker.capacity).toBe('${var.broker_capacity}');
    expect(capacity?.default).toBe(1);
  });

  it('keeps both off the internet: public network access off, non-TLS port off, TLS 1.2 at least', () => {
    for (const name of redisCaches) {
      const redis = resource('azure', 'azurerm_redis_cache', name);
      expect(redis, name).toMatchObject({ public_network_access_enabled: false, non_ssl_port_enabled: false, minimum_tls_version: '1.2' });
    }
  });

  it("gives each a private endpoint registered in privatelink.redis.cache.windows.net, linked to the workers' networks", () => {
    const endpoints = Object.values(parsed.azure.resource?.azurerm_private_endpoint ?? {}).flat();
    for (const name of redisCaches) {
      const own = endpoints.filter((endpoint) => nested(endpoint, 'private_service_connection').private_connection_resource_id === `\${azurerm_redis_cache.${name}.id}`);
      expect(own, `one private endpoint for ${name}`).toHaveLength(1);
      const endpoint = own[0] as Block;
      expect(endpoint.subnet_id).toBe('${var.private_endpoint_subnet_id}');
      expect(nested(endpoint, 'private_service_connection')).toMatchObject({ subresource_names: ['redisCache'], is_manual_connection: false });
      const zones = nested(endpoint, 'private_dns_zone_group').private_dns_zone_ids as string[];
      expect(zones).toHaveLength(1);
      expect(referenced('azure', zones[0]).name).toBe('privatelink.redis.cache.windows.net');
    }
    const links = Object.values(parsed.azure.resource?.azurerm_private_dns_zone_virtual_network_link ?? {}).flat();
    expect(links).toHaveLength(1);
    expect(links[0]).toMatchObject({ for_each: '${var.virtual_network_ids}', virtual_network_id: '${each.value}', private_dns_zone_name: '${azurerm_private_dns_zone.redis.name}' });
  });
});

describe('the AWS module', () => {
  const groups = ['cache', 'broker'] as const;
  const defaultOf = (name: string) => parsed.aws.variable?.[name]?.[0]?.default;

  it('runs the cache as one small node whose parameter group evicts least recently used keys', () => {
    const cache = resource('aws', 'aws_elasticache_replication_group', 'cache');
    expect(cache.num_cache_clusters).toBe(1);
    expect(cache.node_type).toBe('${var.cache_node_type}');
    expect(defaultOf('cache_node_type')).toBe('cache.t4g.micro');
    expect(evictionPolicy('aws', 'aws_elasticache_replication_group.cache')).toBe('allkeys-lru');
  });

  it('runs the broker as a replication group with a replica in another zone, whose parameter group never evicts', () => {
    const broker = resource('aws', 'aws_elasticache_replication_group', 'broker');
    expect(broker.num_cache_clusters).toBeGreaterThanOrEqual(2);
    expect(broker).toMatchObject({ automatic_failover_enabled: true, multi_az_enabled: true });
    expect(evictionPolicy('aws', 'aws_elasticache_replication_group.broker')).toBe('noeviction');
    const cacheGroup = resource('aws', 'aws_elasticache_replication_group', 'cache').parameter_group_name;
    expect(broker.parameter_group_name).not.toBe(cacheGroup);
  });

  it('puts both in the private subnets, encrypted in transit, each behind its own auth token', () => {
    const tokens = new Set<string>();
    for (const name of groups) {
      const group = resource('aws', 'aws_elasticache_replication_group', name);
      expect(group, name).toMatchObject({ transit_encryption_enabled: true, at_rest_encryption_enabled: true, engine: 'redis' });
      expect(referenced('aws', group.subnet_group_name).subnet_ids, name).toBe('${var.private_subnet_ids}');
      expect(group.security_group_ids, name).toEqual(['${aws_security_group.redis.id}']);
      expect(resourceRefs(group.auth_token), name).toHaveLength(1);
      expect(referenced('aws', group.auth_token).special, name).toBe(false); // URL-safe
      tokens.add(String(group.auth_token));
    }
    expect(tokens.size).toBe(2);
  });

  it("admits only the workers' security groups and CIDR blocks, on the Redis port", () => {
    const securityGroup = resource('aws', 'aws_security_group', 'redis');
    expect(securityGroup.ingress, 'no inline rules').toBeUndefined();
    expect(securityGroup.egress, 'no inline rules').toBeUndefined();
    const rules = parsed.aws.resource?.aws_vpc_security_group_ingress_rule ?? {};
    const sources = Object.values(rules)
      .flat()
      .map((rule) => {
        expect(rule).toMatchObject({ security_group_id: '${aws_security_group.redis.id}', ip_protocol: 'tcp', from_port: 6379, to_port: 6379 });
        const source = rule.referenced_security_group_id ?? rule.cidr_ipv4;
        expect(source).toBe('${each.value}');
        expect(rule.cidr_ipv6 ?? rule.prefix_list_id).toBeUndefined();
        return `${rule.for_each} → ${rule.referenced_security_group_id ? 'group' : 'cidr'}`;
      });
    expect(sources.sort()).toEqual(['${toset(var.worker_cidr_blocks)} → cidr', '${toset(var.worker_security_group_ids)} → group']);
    const egress = parsed.aws.resource?.aws_vpc_security_group_egress_rule;
    expect(egress).toBeUndefined();
    const text = strings(parsed.aws.resource).join('\n');
    expect(text).not.toMatch(/0\.0\.0\.0\/0|::\/0/);
  });
});

describe("the README's Deploy section", () => {
  const readme = readFileSync('README.md', 'utf8');
  const section = readme.match(/\n## Deploy\n([\s\S]*?)\n## /)?.[1] ?? '';

  it('states the monthly cost of each tier as approximate, the cache on the cheapest managed Redis', () => {
    expect(section).toMatch(/\*\*Basic C0\*\*[^|]*: about \*\*US\$16\/month\*\*/);
    expect(section).toMatch(/\*\*Premium P1\*\*[^|]*: about \*\*US\$\d+\/month\*\*/);
    expect(section.match(/US\$\d+\/month/g)?.length).toBeGreaterThanOrEqual(4);
    expect(section).toMatch(/approximate/);
  });

  it('calls each module with every required variable and only declared ones', async () => {
    const blocks = [...section.matchAll(/```hcl\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');
    expect(blocks).toHaveLength(2);
    const called = new Set<string>();
    for (const block of blocks) {
      const call = Object.values(((await parseHcl('README.tf', block)) as { module: Record<string, Block[]> }).module)[0]?.[0] as Block;
      const source = String(call.source).replace(/^\.\//, '');
      const cloud = (Object.keys(modules) as Cloud[]).find((c) => modules[c] === source);
      expect(cloud, `module source ${source}`).toBeDefined();
      if (!cloud) continue;
      called.add(cloud);
      expect(existsSync(source)).toBe(true);
      const variables = parsed[cloud].variable ?? {};
      const args = Object.keys(call).filter((key) => key !== 'source');
      for (const arg of args) expect(Object.keys(variables), `${cloud}: ${arg}`).toContain(arg);
      const required = Object.entries(variables)
        .filter(([, declared]) => !('default' in (declared[0] ?? {})))
        .map(([name]) => name);
      for (const name of required) expect(args, `${cloud} needs ${name}`).toContain(name);
      // The example's name passes the module's own rule (Azure's ends up in a storage account name).
      const rule = parsed[cloud].variable?.name?.[0]?.validation as Block[];
      const pattern = String(rule[0]?.condition).match(/regex\("(.*)", var\.name\)/)?.[1]?.replace(/\\\\/g, '\\');
      expect(String(call.name)).toMatch(new RegExp(pattern ?? '^$'));
    }
    expect([...called].sort()).toEqual(['aws', 'azure']);
  });

  it('reads both URLs from outputs the modules declare', () => {
    for (const role of ['broker', 'cache']) {
      expect(section).toContain(`export BATCHLINE_${role.toUpperCase()}_URL="$(terraform output -raw batchline_${role}_url)"`);
      for (const cloud of Object.keys(modules) as Cloud[]) output(cloud, `batchline_${role}_url`);
    }
  });
});
