"""InteractiveSession, Tensor.eval and Operation.run, and how fetched scalars print."""

# rtol: 1e-5
import numpy as np

import gaussfit.engine as tf

sess = tf.InteractiveSession()
a = tf.constant(5.0)
b = tf.constant(np.float64(2.5))
c = tf.constant(7)
v = tf.Variable(1.5, name="v")
tf.global_variables_initializer().run()
print(a.eval(), (a * 2.0).eval(), b.eval(), c.eval())
print(type(a.eval()).__name__, type(b.eval()).__name__, type(c.eval()).__name__)
print(a.eval().dtype, v.eval())
print(sess.run([a, c]))
v.assign(4.0).op.run()
print(v.eval(), sess.run(v + 1.0))
print(tf.get_default_session() is sess)
sess.close()
