// TEST SERVER — a stand-in for the Kubernetes API used only by tests; not a Kubernetes implementation.
//
// CustomResourceDefinitions as Istio 1.31 (manifests/charts/base/files/crd-all.gen.yaml) and the
// Gateway API standard channel install them: names, short names, categories, served versions and
// printer columns. Schemas are left open (x-kubernetes-preserve-unknown-fields): this server does
// not validate custom resources.

import type { KubeObject, PrinterColumn } from './resources.ts';

interface CrdInput {
  group: string;
  kind: string;
  plural: string;
  shortNames?: string[];
  categories?: string[];
  scope?: 'Namespaced' | 'Cluster';
  versions: string[];
  columns?: PrinterColumn[];
  labels?: Record<string, string>;
}

const age: PrinterColumn = { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' };

export function makeCrd(input: CrdInput): KubeObject {
  return {
    apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition',
    metadata: { name: `${input.plural}.${input.group}`, labels: input.labels ?? {} },
    spec: {
      group: input.group, scope: input.scope ?? 'Namespaced',
      names: { kind: input.kind, listKind: `${input.kind}List`, plural: input.plural, singular: input.kind.toLowerCase(), ...(input.shortNames ? { shortNames: input.shortNames } : {}), ...(input.categories ? { categories: input.categories } : {}) },
      versions: input.versions.map((name, index) => ({
        name, served: true, storage: index === 0,
        schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
        subresources: { status: {} },
        additionalPrinterColumns: [...(input.columns ?? []), age],
      })),
    },
  };
}

const ISTIO_LABELS = { 'app.kubernetes.io/part-of': 'istio', 'app.kubernetes.io/name': 'istio-base' };
const istio = (group: string, kind: string, plural: string, shortNames: string[], versions: string[], columns: PrinterColumn[] = []) =>
  makeCrd({ group, kind, plural, shortNames, versions, columns, categories: ['istio-io', `${group.split('.')[0]}-istio-io`], labels: ISTIO_LABELS });
const NETWORKING = ['v1', 'v1beta1', 'v1alpha3'];

export function istioCrds(): KubeObject[] {
  return [
    istio('networking.istio.io', 'VirtualService', 'virtualservices', ['vs'], NETWORKING, [
      { name: 'Gateways', type: 'string', jsonPath: '.spec.gateways', description: 'The names of gateways and sidecars that should apply these routes' },
      { name: 'Hosts', type: 'string', jsonPath: '.spec.hosts', description: 'The destination hosts to which traffic is being sent' },
    ]),
    istio('networking.istio.io', 'DestinationRule', 'destinationrules', ['dr'], NETWORKING, [
      { name: 'Host', type: 'string', jsonPath: '.spec.host', description: 'The name of a service from the service registry' },
    ]),
    istio('networking.istio.io', 'Gateway', 'gateways', ['gw'], NETWORKING),
    istio('networking.istio.io', 'ServiceEntry', 'serviceentries', ['se'], NETWORKING, [
      { name: 'Hosts', type: 'string', jsonPath: '.spec.hosts', description: 'The hosts associated with the ServiceEntry' },
      { name: 'Location', type: 'string', jsonPath: '.spec.location', description: 'Whether the service is external to the mesh or part of the mesh (MESH_EXTERNAL or MESH_INTERNAL)' },
      { name: 'Resolution', type: 'string', jsonPath: '.spec.resolution', description: 'Service resolution mode for the hosts (NONE, STATIC, or DNS)' },
    ]),
    istio('networking.istio.io', 'Sidecar', 'sidecars', [], NETWORKING),
    istio('networking.istio.io', 'EnvoyFilter', 'envoyfilters', [], ['v1alpha3']),
    istio('networking.istio.io', 'WorkloadEntry', 'workloadentries', ['we'], NETWORKING),
    istio('security.istio.io', 'PeerAuthentication', 'peerauthentications', ['pa'], ['v1', 'v1beta1'], [
      { name: 'Mode', type: 'string', jsonPath: '.spec.mtls.mode', description: 'Defines the mTLS mode used for peer authentication.' },
    ]),
    istio('security.istio.io', 'AuthorizationPolicy', 'authorizationpolicies', ['ap'], ['v1', 'v1beta1'], [
      { name: 'Action', type: 'string', jsonPath: '.spec.action', description: 'The operation to take.' },
    ]),
    istio('security.istio.io', 'RequestAuthentication', 'requestauthentications', ['ra'], ['v1', 'v1beta1']),
    istio('telemetry.istio.io', 'Telemetry', 'telemetries', ['telemetry'], ['v1', 'v1alpha1']),
    istio('extensions.istio.io', 'WasmPlugin', 'wasmplugins', [], ['v1alpha1']),
  ];
}

const GATEWAY_API_LABELS = { 'gateway.networking.k8s.io/bundle-version': 'v1.3.0', 'gateway.networking.k8s.io/channel': 'standard' };
const gatewayApi = (kind: string, plural: string, shortNames: string[], versions: string[], columns: PrinterColumn[], scope: 'Namespaced' | 'Cluster' = 'Namespaced') =>
  makeCrd({ group: 'gateway.networking.k8s.io', kind, plural, shortNames, versions, columns, scope, categories: ['gateway-api'], labels: GATEWAY_API_LABELS });

export function gatewayApiCrds(): KubeObject[] {
  return [
    gatewayApi('GatewayClass', 'gatewayclasses', ['gc'], ['v1', 'v1beta1'], [
      { name: 'Controller', type: 'string', jsonPath: '.spec.controllerName' },
      { name: 'Accepted', type: 'string', jsonPath: '.status.conditions[?(@.type=="Accepted")].status' },
    ], 'Cluster'),
    gatewayApi('Gateway', 'gateways', ['gtw'], ['v1', 'v1beta1'], [
      { name: 'Class', type: 'string', jsonPath: '.spec.gatewayClassName' },
      { name: 'Address', type: 'string', jsonPath: '.status.addresses[*].value' },
      { name: 'Programmed', type: 'string', jsonPath: '.status.conditions[?(@.type=="Programmed")].status' },
    ]),
    gatewayApi('HTTPRoute', 'httproutes', [], ['v1', 'v1beta1'], [{ name: 'Hostnames', type: 'string', jsonPath: '.spec.hostnames' }]),
    gatewayApi('GRPCRoute', 'grpcroutes', [], ['v1'], [{ name: 'Hostnames', type: 'string', jsonPath: '.spec.hostnames' }]),
    gatewayApi('ReferenceGrant', 'referencegrants', ['refgrant'], ['v1beta1'], []),
  ];
}

/** The istio GatewayClass istiod creates when the Gateway API CRDs are present. */
export function istioGatewayClass(): KubeObject {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1', kind: 'GatewayClass',
    metadata: { name: 'istio' },
    spec: { controllerName: 'istio.io/gateway-controller', description: 'The default Istio GatewayClass' },
    status: { conditions: [{ type: 'Accepted', status: 'True', reason: 'Accepted', message: 'Handled by Istio controller', lastTransitionTime: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z') }] },
  };
}
