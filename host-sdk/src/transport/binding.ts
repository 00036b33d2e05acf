// The shape of a serialport binding (@serialport/bindings-interface, whose package exports no
// types under our module resolution): what the SDK needs to list and open ports.

export interface BindingPortInfo {
  path: string;
  manufacturer?: string;
  serialNumber?: string;
  vendorId?: string;
  productId?: string;
}

export interface BindingInterface {
  list(): Promise<BindingPortInfo[]>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  open(options: any): Promise<any>;
}
