package io.prenas.tensorio.pth;

/**
 * A tensor as {@code torch._utils._rebuild_tensor_v2} describes it: a view of a storage with an element offset, a
 * size and a stride per dimension. Several tensors may view one storage, with any strides.
 */
record TensorRef(StorageRef storage, long offset, long[] size, long[] stride) {

  TensorRef {
    size = size.clone();
    stride = stride.clone();
  }
}
