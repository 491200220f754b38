// TEST SERVER — a stand-in for the Kubernetes API used only by tests; not a Kubernetes implementation.
//
// What tests import: the server, its store of objects and knobs, the controllers and the fake
// istiod, and factories for realistic objects.

export { startKubeApiServer, type KubeApiServer, type KubeApiServerOptions } from './server.ts';
export { KubeStore, type Change, type RecordedRequest, type TcpTarget, type VersionInfo } from './store.ts';
export {
  makeDeployment, makeEvent, makeNamespace, makeNode, makePod, makeService,
  withDeploymentAvailable, withNodeReady, withPodReady, withPodStarting,
  type ContainerStatusOptions, type DeploymentOptions, type EventOptions, type NodeOptions, type PodOptions,
  type ServiceOptions,
} from './objects.ts';
export { gatewayApiCrds, istioCrds, istioGatewayClass, makeCrd } from './crds.ts';
export { Controllers, type ControllerOptions } from './controllers.ts';
export { FakeIstiod, startIstiod, type IstiodOptions } from './istiod.ts';
export { localExec, type ExecHandler, type ExecProcess, type ExecRequest } from './pod-runtime.ts';
export type { ExecPlugin, KubeconfigOptions } from './kubeconfig.ts';
export type { KubeObject, ObjectMeta } from './resources.ts';
export type { StatusObject } from './status.ts';
